"""Wagtail hooks of the sites: the log actions written by the front end and the weekly job, and
(wagtail_hooks_editors) the site pages kept out of the national editors' reach."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from sitepages import wagtail_hooks_editors  # noqa: F401 - site pages stay out of the editors' reach


@hooks.register("register_log_actions")
def register_site_log_actions(actions):
    actions.register_action("sitepages.decree_added", _("Add decree"), _("Decree added"))
    actions.register_action("sitepages.decree_deleted", _("Delete decree"), _("Decree deleted"))
    actions.register_action(
        "sitepages.owners_anonymised",
        _("Anonymise private owners"),
        _("Private owners anonymised"),
    )
    actions.register_action("sitepages.export", _("Export sites"), _("Sites exported"))
    actions.register_action(
        "sitepages.site_deleted", _("Delete a site created by mistake"), _("Site deleted")
    )
    actions.register_action(
        "sitepages.actor_invited", _("Invite a partner to a site"), _("Partner invited")
    )
    actions.register_action("sitepages.sheet")(SheetFormatter)


class SheetFormatter(LogFormatter):
    """A site's printable sheet, opened to be printed or downloaded as a Word document."""

    label = _("Print a site sheet")

    def format_message(self, log_entry):
        if (log_entry.data or {}).get("format") == "docx":
            return _("Site sheet downloaded (DOCX)")
        return _("Site sheet opened for printing")
