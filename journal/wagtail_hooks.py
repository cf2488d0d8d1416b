"""Wagtail hooks of the journal: the labels of its audit log entries (moderation decisions)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from journal import services


class ReasonFormatter(LogFormatter):
    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("reason", "")


def _formatter(label, message):
    return type("JournalFormatter", (ReasonFormatter,), {"label": label, "message": message})


ACTIONS = {
    services.ACTION_POST: (_("Post a journal message"), _("Journal message posted")),
    services.ACTION_EDIT: (_("Edit a journal message"), _("Journal message edited")),
    services.ACTION_DELETE: (_("Delete a journal message"), _("Journal message deleted")),
    services.ACTION_REPORT: (_("Report a journal message"), _("Journal message reported")),
    services.ACTION_HIDE: (_("Hide a journal message"), _("Journal message hidden")),
    services.ACTION_RESTORE: (_("Restore a journal message"), _("Journal message restored")),
    services.ACTION_DISMISS: (_("Dismiss reports"), _("Reports dismissed")),
    "journal.export": (_("Export journals"), _("Journal messages exported")),
}


@hooks.register("register_log_actions")
def register_journal_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action)(_formatter(label, message))
