"""The activity feed: what each reader may see, filters, cursor pagination, flat query counts."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from machina.core.db.models import get_model

from activity import feed
from activity.enums import NotificationKind
from activity.models import SiteEvent
from directory.enums import Role
from journal.enums import Audience
from journal.models import Entry
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

FEED = reverse("activity:feed")


@pytest.fixture
def now():
    """The test's "now", taken when it runs (never at collection): the events are dated from it."""
    return timezone.now()


def ago(now, minutes):
    return now - datetime.timedelta(minutes=minutes)


def event(now, site, kind=NotificationKind.SITE_UPDATED, minutes=10, title=None):
    return SiteEvent.objects.create(
        kind=kind, site=site, title=title or site.title, occurred_at=ago(now, minutes)
    )


@pytest.fixture
def world(now):
    here, elsewhere = DepartmentFactory(), DepartmentFactory()
    reader = UserFactory(role=Role.INTERVENANT, first_name="Lectrice")
    give_area(reader, here)
    site_here = SitePageFactory(commune=CommuneFactory(department=here), name="Ici-Marqueur")
    site_far = SitePageFactory(commune=CommuneFactory(department=elsewhere), name="Loin-Marqueur")
    event(now, site_here, NotificationKind.SITE_CREATED, 50, "Cree-Ici")
    event(now, site_here, NotificationKind.SITE_CLOSED, 40, "Ferme-Ici")
    event(now, site_far, NotificationKind.SITE_CREATED, 30, "Cree-Loin")
    author = UserFactory(first_name="Auteur")
    give_area(author, here)
    Entry.objects.create(site=site_here, author=author, text="Public", created_at=ago(now, 20))
    Entry.objects.create(
        site=site_here,
        author=author,
        text="Privé",
        audience=Audience.STATE_SERVICES,
        created_at=ago(now, 15),
    )
    Entry.objects.create(site=site_far, author=author, text="Loin", created_at=ago(now, 12))
    newcomer = UserFactory(
        first_name="Nouvelle", last_name="Venue-Marqueur", date_joined=ago(now, 5)
    )
    give_area(newcomer, here)
    return {"here": here, "elsewhere": elsewhere, "reader": reader, "site_here": site_here}


def titles(items):
    return [(item.type, item.title) for item in items]


def test_a_reader_sees_their_territory_only(world, now):
    items, cursor = feed.feed(world["reader"], before=now)
    seen = titles(items)
    assert ("site_created", "Cree-Ici") in seen and ("site_closed", "Ferme-Ici") in seen
    assert ("site_created", "Cree-Loin") not in seen  # not their territory
    journal = [item for item in items if item.type == "journal"]
    assert len(journal) == 1  # the private message and the far site's are not readable
    assert ("user", "Nouvelle Venue-Marqueur") in seen
    assert [item.when for item in items] == sorted((item.when for item in items), reverse=True)
    assert cursor is None


def test_a_national_reader_sees_everything(world, now):
    admin = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(admin, None)
    seen = titles(feed.feed(admin, before=now)[0])
    assert ("site_created", "Cree-Loin") in seen
    assert len([t for t in seen if t[0] == "journal"]) == 3


def test_forum_questions_are_shown_to_members(world):
    call_command("load_forum_demo", stdout=StringIO())
    forum = get_model("forum", "Forum").objects.first()
    topic_model = get_model("forum_conversation", "Topic")
    topic_model.objects.create(
        forum=forum,
        poster=UserFactory(),
        subject="Question-Marqueur",
        type=topic_model.TOPIC_POST,
        status=topic_model.TOPIC_UNLOCKED,
        approved=True,
    )
    topic_model.objects.create(
        forum=forum,
        poster=UserFactory(),
        subject="En-Attente-Marqueur",
        type=topic_model.TOPIC_POST,
        status=topic_model.TOPIC_UNLOCKED,
        approved=False,
    )
    seen = titles(feed.feed(world["reader"], before=timezone.now())[0])
    assert ("forum", "Question-Marqueur") in seen
    assert ("forum", "En-Attente-Marqueur") not in seen


def test_filters_by_type_and_department(client, world):
    client.force_login(world["reader"])
    response = client.get(FEED, {"type": "site_closed"})
    assert titles(response.context["items"]) == [("site_closed", "Ferme-Ici")]
    response = client.get(FEED, {"departement": world["here"].code, "type": "journal"})
    assert [item.type for item in response.context["items"]] == ["journal"]
    # A department outside the reader's areas is not offered: the filter is refused, ignored.
    response = client.get(FEED, {"departement": world["elsewhere"].code})
    assert response.status_code == 200 and response.context["form"].errors
    assert ("site_created", "Cree-Loin") not in titles(response.context["items"])
    assert client.get(FEED, {"type": "nimportequoi", "avant": "hier"}).status_code == 200


def test_cursor_pagination_has_no_gap_and_no_duplicate(client, world, now):
    for minute in range(100, 130):
        event(now, world["site_here"], minutes=minute, title=f"Maj-{minute}")
    client.force_login(world["reader"])
    response = client.get(FEED, {"type": "site_updated"})
    first = titles(response.context["items"])
    assert len(first) == feed.PAGE_SIZE
    response = client.get(response.context["next_url"])
    second = titles(response.context["items"])
    assert len(second) == 10 and not response.context["next_url"]
    assert sorted(first + second) == sorted(
        ("site_updated", f"Maj-{minute}") for minute in range(100, 130)
    )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_constant_query_count(client, world, now):
    client.force_login(world["reader"])
    client.get(FEED)
    small = queries_for(client, FEED)
    for minute in range(200, 260):
        site = SitePageFactory(commune=CommuneFactory(department=world["here"]))
        event(now, site, minutes=minute)
        Entry.objects.create(
            site=site, author=UserFactory(), text="Public", created_at=ago(now, minute)
        )
        give_area(UserFactory(date_joined=ago(now, minute)), world["here"])
    large = queries_for(client, FEED)
    assert small == large
