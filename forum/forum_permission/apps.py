from machina.apps.forum_permission.apps import ForumPermissionAppConfig as BaseAppConfig


class ForumPermissionAppConfig(BaseAppConfig):
    """machina's forum_permission, overridden so that the platform's roles decide (checker.py)."""

    default = True
    name = "forum.forum_permission"
