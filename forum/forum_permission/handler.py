"""machina's permission handler, with per-territory moderation (see `forum.perms`).

machina decides moderation per forum; the platform also asks whether the moderator's territory
covers the author of the message (`forum.perms.can_moderate_user`).
"""

from machina.apps.forum_permission.handler import PermissionHandler as BasePermissionHandler

from forum import perms


class PermissionHandler(BasePermissionHandler):
    def prime_moderation(self, user, author_ids) -> None:
        """Answer `forum.perms.can_moderate_user` for many authors at once (a page of posts)."""
        cache = self.__dict__.setdefault("_moderated", {})
        missing = {pk for pk in author_ids if pk is not None and (user.pk, pk) not in cache}
        allowed = perms.moderated_author_ids(user, missing)
        for pk in missing:
            cache[(user.pk, pk)] = pk in allowed

    def moderates(self, user, author) -> bool:
        if author is None:
            return False
        cached = self.__dict__.get("_moderated", {}).get((user.pk, author.pk))
        if cached is not None:
            return cached and perms.is_forum_moderator(user)
        return perms.can_moderate_user(user, author)

    def can_edit_post(self, post, user):
        checker = self._get_checker(user)
        forum = post.topic.forum
        if post.poster_id is not None and post.poster_id == user.pk:
            return checker.has_perm("can_edit_own_posts", forum) and not post.topic.is_locked
        return checker.has_perm("can_edit_posts", forum) and self.moderates(user, post.poster)

    def can_delete_post(self, post, user):
        checker = self._get_checker(user)
        forum = post.topic.forum
        if post.poster_id is not None and post.poster_id == user.pk:
            return checker.has_perm("can_delete_own_posts", forum)
        return checker.has_perm("can_delete_posts", forum) and self.moderates(user, post.poster)

    # Topic-level moderation (machina only knows forum-level checks; the views use these).

    def can_lock_topic(self, topic, user):
        return self.can_lock_topics(topic.forum, user) and perms.can_moderate_user(
            user, topic.poster
        )

    def can_move_topic(self, topic, user):
        return self.can_move_topics(topic.forum, user) and perms.can_moderate_user(
            user, topic.poster
        )

    def can_delete_topic(self, topic, user):
        return self.can_delete_topics(topic.forum, user) and perms.can_moderate_user(
            user, topic.poster
        )

    def can_approve_post(self, post, user):
        return self.can_approve_posts(post.topic.forum, user) and perms.can_moderate_user(
            user, post.poster
        )

    def can_solve_topic(self, topic, user):
        """The author of the question, or a moderator of its author, marks it solved."""
        if not self.can_read_forum(topic.forum, user):
            return False
        if topic.poster_id is not None and topic.poster_id == user.pk:
            return True
        return perms.is_forum_moderator(user) and self.moderates(user, topic.poster)
