"""Forum ("Entraide") permission rules, driven by the platform's roles.

machina asks for permission codenames per forum (`can_read_forum`, `can_approve_posts`...);
`codenames_for(user)` answers from the platform's roles instead of machina's permission tables:

- members (active, logged in; the charter gate middleware handles the charter) read, start topics,
  reply, edit and delete their own posts; their posts wait for a moderator's approval until one of
  them has been approved;
- administrators (national and local, `directory.perms.is_admin`) hold machina's moderation
  permissions in every forum, and moderate the messages of the authors of their territory only
  (`can_moderate_user`, below; applied by `forum.forum_permission.handler` and the moderation
  views);
- everyone else (anonymous, inactive, new accounts) gets nothing.
"""

from django.db.models import Q

from directory import perms as directory_perms
from directory.enums import TerritoryLevel
from directory.models import InterventionArea, User
from directory.permission_matrix import Feature, Scope

MEMBER_PERMISSIONS = frozenset(
    {
        "can_see_forum",
        "can_read_forum",
        "can_start_new_topics",
        "can_reply_to_topics",
        "can_edit_own_posts",
        "can_delete_own_posts",
        "can_attach_file",
        "can_download_file",
    }
)
MODERATOR_PERMISSIONS = MEMBER_PERMISSIONS | {
    "can_post_without_approval",
    "can_post_stickies",
    "can_post_announcements",
    "can_lock_topics",
    "can_move_topics",
    "can_edit_posts",
    "can_delete_posts",
    "can_approve_posts",
    "can_reply_to_locked_topics",
}


def is_forum_member(user) -> bool:
    return directory_perms.is_active_member(user)


def is_forum_moderator(user) -> bool:
    return directory_perms.is_admin(user)


def has_approved_post(user) -> bool:
    """At least one post of the user went through moderation (cached on the user object)."""
    cached = getattr(user, "_forum_has_approved_post", None)
    if cached is None:
        from machina.core.db.models import get_model

        Post = get_model("forum_conversation", "Post")  # noqa: N806
        cached = user._forum_has_approved_post = Post.objects.filter(
            poster=user, approved=True
        ).exists()
    return cached


def codenames_for(user) -> frozenset:
    """machina permission codenames granted to `user`, the same in every forum."""
    if is_forum_moderator(user):
        return MODERATOR_PERMISSIONS
    if not is_forum_member(user):
        return frozenset()
    if has_approved_post(user):
        return MEMBER_PERMISSIONS | {"can_post_without_approval"}
    return MEMBER_PERMISSIONS


# --- Posts awaiting moderation -----------------------------------------------------------------
#
# A post (or a topic, through its first post) awaiting moderation is shown to its author and to
# the moderators of its author only: never listed to other members, its attachments never served
# to them.


def can_see_post(user, post) -> bool:
    if post.approved:
        return True
    return post.poster_id is not None and (
        post.poster_id == user.pk or can_moderate_user(user, post.poster)
    )


def can_see_topic(user, topic) -> bool:
    if topic.approved:
        return True
    return topic.poster_id is not None and (
        topic.poster_id == user.pk or can_moderate_user(user, topic.poster)
    )


def visible_q(user) -> Q:
    """Posts or topics (both have `approved` and `poster`) listed to `user` in lists: the approved
    ones and their own (moderators find the others in the moderation queue)."""
    return Q(approved=True) | Q(poster_id=user.pk)


# --- Per-territory moderation -------------------------------------------------------------------
#
# Rule: national administrators (and superusers) moderate every message. A local administrator
# moderates the messages of the members whose *main intervention area* lies within their own
# areas (the rule that lets them manage those accounts: `Feature.USER_DEACTIVATE`, the same as
# `directory.perms.can_manage_user`). Members without any area, or with a national main area, are
# moderated by national administrators only. Everyone moderates nobody's messages but through this
# rule; authors edit and delete their own messages (machina's "own posts" permissions).


def can_moderate_user(moderator, author) -> bool:
    """May `moderator` lock, move, delete, approve or edit content written by `author`?"""
    if author is None or not is_forum_moderator(moderator):
        return False
    return directory_perms.can(moderator, Feature.USER_DEACTIVATE, author)


def moderated_author_ids(moderator, author_ids) -> set:
    """The subset of `author_ids` whose messages `moderator` moderates, in a constant number of
    queries (the moderation queue lists the messages of many authors)."""
    author_ids = {pk for pk in author_ids if pk is not None}
    if not author_ids or not is_forum_moderator(moderator):
        return set()
    scope = directory_perms.scope_for(moderator, Feature.USER_DEACTIVATE)
    if scope == Scope.NATIONAL:
        return author_ids
    if scope == Scope.NONE:
        return set()
    areas = directory_perms.areas_of(moderator)
    if areas.national:
        return author_ids
    main_areas = _main_areas(author_ids)
    return {
        pk
        for pk, area in main_areas.items()
        if area is not None
        and area.level != TerritoryLevel.NATION
        and areas.covers(directory_perms.locate(area.territory), read=False)
    }


def _main_areas(author_ids) -> dict:
    """{user id: main InterventionArea or None}: the user's own areas, else their organisation's
    (as `directory.perms.areas_of` resolves them), in two queries."""

    related = ("region", "department", "epci", "commune__department")
    main = dict.fromkeys(author_ids)
    for area in InterventionArea.objects.filter(user_id__in=author_ids).select_related(*related):
        if main[area.user_id] is None:  # ordered main area first (InterventionArea.Meta.ordering)
            main[area.user_id] = area
    without_own = [pk for pk, area in main.items() if area is None]
    organizations = dict(
        User.objects.filter(pk__in=without_own, organization__isnull=False).values_list(
            "pk", "organization_id"
        )
    )
    if organizations:
        by_organization = {}
        for area in InterventionArea.objects.filter(
            organization_id__in=set(organizations.values())
        ).select_related(*related):
            by_organization.setdefault(area.organization_id, area)
        for pk, organization_id in organizations.items():
            main[pk] = by_organization.get(organization_id)
    return main
