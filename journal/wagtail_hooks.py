"""Wagtail hooks of the journal: the labels of its audit log entries (moderation decisions)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core import audit
from core.audit import REASON
from journal import services

#: Every journal action of the audit log (`core.audit`); the reason given is the comment.
ACTIONS = {
    services.ACTION_POST: (_("Post a journal message"), _("Journal message posted"), REASON),
    services.ACTION_EDIT: (_("Edit a journal message"), _("Journal message edited"), REASON),
    services.ACTION_DELETE: (_("Delete a journal message"), _("Journal message deleted"), REASON),
    services.ACTION_REPORT: (_("Report a journal message"), _("Journal message reported"), REASON),
    services.ACTION_HIDE: (_("Hide a journal message"), _("Journal message hidden"), REASON),
    services.ACTION_RESTORE: (
        _("Restore a journal message"),
        _("Journal message restored"),
        REASON,
    ),
    services.ACTION_DISMISS: (_("Dismiss reports"), _("Reports dismissed"), REASON),
    "journal.export": (_("Export journals"), _("Journal messages exported"), REASON),
}


@hooks.register("register_log_actions")
def register_journal_actions(actions):
    audit.register(actions, ACTIONS)
