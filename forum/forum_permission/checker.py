"""machina's permission checker, answered by the platform's roles (see `forum.perms`)."""

from machina.apps.forum_permission.checker import (
    ForumPermissionChecker as BaseForumPermissionChecker,
)

from forum import perms


class ForumPermissionChecker(BaseForumPermissionChecker):
    """Grants the codenames of `forum.perms.codenames_for(user)` in every forum.

    machina's own tables (user, group and "all authenticated users" forum permissions) are not
    read: one rule for the whole board, no per-forum administration to keep consistent.
    """

    def _codenames(self):
        if not hasattr(self, "_platform_codenames"):
            self._platform_codenames = perms.codenames_for(self.user)
        return self._platform_codenames

    def has_perm(self, perm, forum):
        return perm in self._codenames()

    def get_perms(self, forum):
        return list(self._codenames())

    def get_perms_for_forumlist(self, forums, perm_codenames=None):
        codenames = set(self._codenames())
        if perm_codenames:
            codenames &= set(perm_codenames)
        return {forum: set(codenames) for forum in forums}
