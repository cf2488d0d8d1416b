"""Helpers shared by the forum tests: questions, answers, URLs, people placed in territories."""

from django.urls import reverse
from machina.core.db.models import get_model

from directory.enums import Role
from tests.directory.factories import DepartmentFactory, UserFactory, give_area

Forum = get_model("forum", "Forum")
Topic = get_model("forum_conversation", "Topic")
Post = get_model("forum_conversation", "Post")
ThemeSubscription = get_model("forum_conversation", "ThemeSubscription")


def make_topic(forum, poster, *, replies=0, approved=True, subject="Accès aux soins", tags=()):
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
        topic=topic, poster=poster, subject=subject, content="Comment faire ?", approved=approved
    )
    for number in range(replies):
        Post.objects.create(
            topic=topic, poster=poster, subject=f"Re: {subject}", content=f"Réponse {number}"
        )
    topic.refresh_from_db()
    return topic


def answer(topic, author, *, approved=True, content="Réponse"):
    return Post.objects.create(
        topic=topic, poster=author, subject=f"Re: {topic.subject}", content=content,
        approved=approved,
    )  # fmt: skip


def topic_url(topic):
    return reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )


def solve_url(topic):
    return reverse(
        "forum_conversation:topic_solve",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )


def create_url(forum):
    return reverse(
        "forum_conversation:topic_create", kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk}
    )


def forum_url(forum):
    return reverse("forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk})


def follow_url(forum):
    return reverse(
        "forum_conversation:theme_follow", kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk}
    )


def moderation_url(name, topic):
    return reverse(f"forum_moderation:{name}", kwargs={"slug": topic.slug, "pk": topic.pk})


def person(department=None, **attributes):
    """A user whose main intervention area is `department` (None: no area at all)."""
    user = UserFactory(**attributes)
    if department is not None:
        give_area(user, department)
    return user


def local_admin(department):
    return person(department, role=Role.LOCAL_ADMIN)


def department(code):
    return DepartmentFactory(code=code, name=f"Département {code}")


def fr(msgid: str) -> str:
    """The French text of an English msgid (the catalogue may not hold it yet while developing;
    then the English text is what the page shows)."""
    from django.utils import translation

    with translation.override("fr"):
        return translation.gettext(msgid)
