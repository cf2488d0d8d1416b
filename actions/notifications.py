"""Who hears of the requests to become a pilot of an action, through `core.notifications`.

- A request: the action's active pilots (who decide it), never the person asking.
- A decision: the person who asked, whether accepted or refused (never the pilot who decided,
  when they answer their own request: `notify` drops the actor).
"""

from django.utils.translation import gettext as _

from actions.enums import PilotRequestStatus
from core.notifications import NotificationKind, notify


def _name(user) -> str:
    return user.get_full_name() or user.email


def notify_pilot_request(pilot_request) -> int:
    action = pilot_request.action
    return notify(
        kind=NotificationKind.ACTION_PILOT_REQUEST,
        recipients=[pilot for pilot in action.pilots.all() if pilot.is_active],
        actor=pilot_request.user,
        verb=_("%(name)s asks to become a pilot of the action “%(action)s”")
        % {"name": _name(pilot_request.user), "action": action.name},
        target=action,
        url=action.get_absolute_url(),
    )


def notify_pilot_decision(pilot_request) -> int:
    action = pilot_request.action
    if pilot_request.status == PilotRequestStatus.ACCEPTED:
        verb = _("Your request to become a pilot of the action “%(action)s” was accepted")
    else:
        verb = _("Your request to become a pilot of the action “%(action)s” was refused")
    return notify(
        kind=NotificationKind.ACTION_PILOT_REQUEST,
        recipients=[pilot_request.user],
        actor=pilot_request.decided_by,
        verb=verb % {"action": action.name},
        target=action,
        url=action.get_absolute_url(),
    )
