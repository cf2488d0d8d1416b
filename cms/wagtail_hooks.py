from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from directory.models import CharterVersion, PermissionException


class CharterVersionViewSet(SnippetViewSet):
    model = CharterVersion
    icon = "doc-full"
    menu_label = _("Charter of engagement")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "version", "published_at"]
    ordering = ["-version"]


register_snippet(CharterVersionViewSet)


class PermissionExceptionViewSet(SnippetViewSet):
    """Per-user and per-organisation exceptions to the role matrix (directory.perms)."""

    model = PermissionException
    icon = "lock"
    menu_label = _("Permission exceptions")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["__str__", "feature", "scope", "created_at"]


register_snippet(PermissionExceptionViewSet)


@hooks.register("register_log_actions")
def register_charter_actions(actions):
    actions.register_action(
        "directory.charter.accept",
        _("Accept the charter"),
        _("Charter of engagement accepted"),
    )
