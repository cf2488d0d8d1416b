"""Forum ("Entraide") permission rules, driven by the platform's roles.

machina asks for permission codenames per forum (`can_read_forum`, `can_approve_posts`...);
`codenames_for(user)` answers from the platform's roles instead of machina's permission tables:

- members (active, logged in; the charter gate middleware handles the charter) read, start topics,
  reply, edit and delete their own posts; their posts wait for a moderator's approval until one of
  them has been approved;
- administrators (national and local, `directory.perms.is_admin`) moderate every forum;
- everyone else (anonymous, inactive, new accounts) gets nothing.
"""

from directory import perms as directory_perms

MEMBER_PERMISSIONS = frozenset(
    {
        "can_see_forum",
        "can_read_forum",
        "can_start_new_topics",
        "can_reply_to_topics",
        "can_edit_own_posts",
        "can_delete_own_posts",
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
