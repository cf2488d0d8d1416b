"""Wagtail hooks of the forum: the labels of its audit log entries (moderation decisions, written
by `forum.services`), the reason given shown as the entry's comment."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core import audit
from core.audit import REASON
from forum import services

#: Every forum action of the audit log (`core.audit`).
ACTIONS = {
    services.ACTION_LOCK: (_("Lock a forum question"), _("Forum question locked"), REASON),
    services.ACTION_UNLOCK: (_("Unlock a forum question"), _("Forum question unlocked")),
    services.ACTION_MOVE: (_("Move a forum question"), _("Forum question moved"), REASON),
    services.ACTION_TYPE: (
        _("Change the type of a forum question"),
        _("Forum question type changed"),
    ),
    services.ACTION_DELETE_TOPIC: (
        _("Delete a forum question"),
        _("Forum question deleted"),
        REASON,
    ),
    services.ACTION_APPROVE: (_("Approve a forum message"), _("Forum message approved")),
    services.ACTION_REJECT: (_("Reject a forum message"), _("Forum message rejected"), REASON),
    services.ACTION_EDIT_POST: (
        _("Edit someone else's forum message"),
        _("Forum message edited by a moderator"),
    ),
    services.ACTION_DELETE_POST: (_("Delete a forum message"), _("Forum message deleted"), REASON),
}


@hooks.register("register_log_actions")
def register_forum_actions(actions):
    audit.register(actions, ACTIONS)
