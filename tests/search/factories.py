"""Objects of every searchable type, for the search tests."""

from io import StringIO

from django.core.management import call_command
from machina.core.db.models import get_model

from cms.models import ContentPage, HomePage
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    RegionFactory,
)

Forum = get_model("forum", "Forum")
Topic = get_model("forum_conversation", "Topic")
Post = get_model("forum_conversation", "Post")


class Territories:
    """Two regions, three departments, an EPCI: enough to tell every area apart."""

    def __init__(self):
        self.r1 = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
        self.r2 = RegionFactory(code="93", name="Provence-Alpes-Côte d’Azur")
        self.d1 = DepartmentFactory(code="69", name="Rhône", region=self.r1)
        self.d2 = DepartmentFactory(code="38", name="Isère", region=self.r1)
        self.d3 = DepartmentFactory(code="13", name="Bouches-du-Rhône", region=self.r2)
        self.epci = EpciFactory(code="200046977", name="Métropole de Lyon")
        self.c1 = CommuneFactory(
            code="69266", name="Villeurbanne", department=self.d1, epci=self.epci
        )
        self.c2 = CommuneFactory(code="69123", name="Lyon", department=self.d1, epci=None)
        self.c3 = CommuneFactory(code="38185", name="Grenoble", department=self.d2)
        self.c4 = CommuneFactory(code="13055", name="Marseille", department=self.d3)

    @property
    def communes(self):
        return [self.c1, self.c2, self.c3, self.c4]


def forum():
    call_command("load_forum_demo", stdout=StringIO())
    return Forum.objects.get(name="Santé")


def make_topic(forum, poster, *, subject, content, approved=True, tags=()):
    topic = Topic.objects.create(
        forum=forum,
        poster=poster,
        subject=subject,
        type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
        approved=approved,
        tags=list(tags),
    )
    Post.objects.create(
        topic=topic, poster=poster, subject=subject, content=content, approved=approved
    )
    topic.refresh_from_db()
    return topic


def make_reply(topic, poster, *, content, approved=True):
    return Post.objects.create(
        topic=topic,
        poster=poster,
        subject=f"Re: {topic.subject}",
        content=content,
        approved=approved,
    )


def content_page(title, body, *, live=True):
    page = ContentPage(title=title, body=body, live=live)
    HomePage.objects.get().add_child(instance=page)
    return page
