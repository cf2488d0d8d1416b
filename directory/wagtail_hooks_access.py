"""Labels of the access request audit entries (Wagtail's log).

Meant to be imported from `directory/wagtail_hooks.py` (`from directory import
wagtail_hooks_access  # noqa: F401`); until then `directory.services.access_requests` imports it,
so that the actions are declared before anything is logged.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import registry as log_action_registry

from directory.enums import Role

APPROVE = "directory.access_request.approve"
REFUSE = "directory.access_request.refuse"
RESEND_ACTIVATION = "directory.access_request.resend_activation"
ACTIVATE = "directory.access_request.activate"


class ApproveFormatter(LogFormatter):
    label = _("Approve an access request")

    def format_message(self, log_entry):
        role = (log_entry.data or {}).get("role")
        try:
            return _("Access request approved with the role “%(role)s”") % {
                "role": Role(role).label
            }
        except ValueError:
            return _("Access request approved")


class RefuseFormatter(LogFormatter):
    label = _("Refuse an access request")
    message = _("Access request refused")

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("message", "")


class ResendActivationFormatter(LogFormatter):
    label = _("Send a new activation link")
    message = _("New activation link sent")


class ActivateFormatter(LogFormatter):
    label = _("Activate an account after an access request")
    message = _("Account activated by its owner")


FORMATTERS = {
    APPROVE: ApproveFormatter,
    REFUSE: RefuseFormatter,
    RESEND_ACTIVATION: ResendActivationFormatter,
    ACTIVATE: ActivateFormatter,
}


@hooks.register("register_log_actions")
def register_access_request_actions(actions):
    for action, formatter in FORMATTERS.items():
        if action not in actions.formatters:  # not action_exists(): it would scan again
            actions.register_action(action)(formatter)


if log_action_registry.has_scanned_for_actions:  # imported after the hooks ran
    register_access_request_actions(log_action_registry)
