from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import inbox, perms
from cms.models import ContactMessage, SiteReport
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

HANDLING_FIELDS = ("handled", "handled_at", "handled_by")
#: Handling is done in the inbox (`cms.views_inbox`), which records who and when: read-only here.
HANDLING_PANELS = [FieldPanel(name, read_only=True) for name in HANDLING_FIELDS]


class ContactMessageViewSet(SnippetViewSet):
    """Messages of the public contact form (also emailed to their recipients, and listed in the
    inbox of the administrators they are routed to)."""

    model = ContactMessage
    icon = "mail"
    menu_label = _("Contact messages")
    menu_order = 320
    add_to_admin_menu = True
    list_display = [
        "__str__",
        "request_type",
        "department",
        "routed_to",
        "created_at",
        "handled",
        "handled_by",
    ]
    list_filter = ["request_type", "routed_to", "handled"]
    ordering = ["-created_at"]
    panels = [
        *[
            FieldPanel(name, read_only=True)
            for name in (
                "created_at",
                "request_type",
                "first_name",
                "last_name",
                "email",
                "phone",
                "organization",
                "department",
                "message",
                "routed_to",
                "recipients",
            )
        ],
        *HANDLING_PANELS,
    ]


register_snippet(ContactMessageViewSet)


class SiteReportViewSet(SnippetViewSet):
    """Sites reported by the public: never sites themselves (an agent declares the site)."""

    model = SiteReport
    icon = "warning"
    menu_label = _("Site reports")
    menu_order = 330
    add_to_admin_menu = True
    list_display = [
        "__str__",
        "commune",
        "approximate_people",
        "routed_to",
        "created_at",
        "handled",
        "handled_by",
    ]
    list_filter = ["routed_to", "handled"]
    ordering = ["-created_at"]
    panels = [
        *[
            FieldPanel(name, read_only=True)
            for name in (
                "created_at",
                "commune",
                "address",
                "approximate_people",
                "description",
                "reporter_name",
                "reporter_email",
                "reporter_phone",
                "routed_to",
                "recipients",
            )
        ],
        *HANDLING_PANELS,
    ]


register_snippet(SiteReportViewSet)


@hooks.register("register_log_actions")
def register_charter_actions(actions):
    actions.register_action(
        "directory.charter.accept",
        _("Accept the charter"),
        _("Charter of engagement accepted"),
    )


@hooks.register("register_log_actions")
def register_inbox_actions(actions):
    actions.register_action(inbox.ACTION_HANDLED, _("Mark as handled"), _("Marked as handled"))
    actions.register_action(inbox.ACTION_REOPENED, _("Reopen"), _("Reopened"))


@hooks.register("before_serve_document")
def serve_documents_with_their_pages_privacy(document, request):
    """A document that only reserved guides use is as private as they are (`cms.perms`)."""
    if perms.may_download_document(request, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied
