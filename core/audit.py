"""The audit log's labels: each app lists its actions in one table and registers it here.

Sensitive changes are Wagtail log entries (`wagtail.log_actions.log(instance=…, action=…,
user=…, data=…)`), read in the admin's reports. Each action needs a formatter: a label (the kind
of action, in the reports' filter) and a message (what happened, on each line). An app keeps its
action names and their table in its `audit.py` and registers the table from its
`wagtail_hooks.py`:

    TABLE = {
        ACTION_HIDE: (_("Hide a message"), _("Message hidden"), REASON),
        ACTION_EXPORT: ExportFormatter,  # a class when the message depends on the entry
    }

    @hooks.register("register_log_actions")
    def register_audit_actions(actions):
        audit.register(actions, TABLE)
"""

from wagtail.log_actions import LogFormatter

#: Third element of a table row: the entry's comment is `data["reason"]`.
REASON = "reason"


class ReasonFormatter(LogFormatter):
    """The reason given by whoever acted (`data["reason"]`), as the entry's comment."""

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("reason", "")


def formatter(label, message, comment: str = "") -> type[LogFormatter]:
    """A formatter class with a fixed label and message (`comment=REASON`: the reason given)."""
    base = ReasonFormatter if comment == REASON else LogFormatter
    return type("AuditFormatter", (base,), {"label": label, "message": message})


def register(actions, table: dict) -> None:
    """Register each action of `table` (action → formatter class, or (label, message[, REASON]))
    unless already registered (a table may be registered again after Wagtail scanned the hooks)."""
    for action, row in table.items():
        if action in actions.formatters:
            continue
        actions.register_action(action)(row if isinstance(row, type) else formatter(*row))
