"""Action operations (keyword-only arguments): create, update, finances, indicators, pilot
requests. Views check `actions.perms` first; these functions write, store a revision (a snapshot
of the whole action, diffed by `actions.history`) and write Wagtail's audit log (actions
registered in `actions.wagtail_hooks`).

Every write to an existing action takes the action's row lock first (`lock_action`), then checks
what changed since the revision its form was based on (`history.conflict_since`): two people
saving one action at once run one after the other, and the second is shown the first one's
changes instead of erasing them (docs/concurrency.md).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from actions import history, indicators, notifications
from actions.enums import PilotRequestStatus
from actions.models import (
    Action,
    ActionFinance,
    ActionIndicators,
    ActionOperator,
    ActionRevision,
    PilotRequest,
)
from actions.snapshots import FIELDS, snapshot  # noqa: F401  (FIELDS: part of this API)

ACTION_CREATE = "actions.create"
ACTION_UPDATE = "actions.update"
ACTION_FINANCES = "actions.finances"
ACTION_INDICATORS = "actions.indicators"
ACTION_PILOT_REQUEST = "actions.pilot_request"
ACTION_PILOT_ACCEPT = "actions.pilot_accept"
ACTION_PILOT_REFUSE = "actions.pilot_refuse"
ACTION_EXPORT = "actions.export"


def record_revision(*, action, user) -> ActionRevision:
    return ActionRevision.objects.create(action=action, user=user, content=snapshot(action))


def _set_relations(action, *, pilots, operators, sites) -> None:
    action.pilots.set(pilots)
    action.sites.set(sites)
    principal_given = any(principal for _organization, principal in operators)
    ActionOperator.objects.filter(action=action).delete()
    ActionOperator.objects.bulk_create(
        ActionOperator(
            action=action,
            organization=organization,
            # a single operator is the principal one
            is_principal=principal if principal_given else len(operators) == 1,
        )
        for organization, principal in operators
    )


@transaction.atomic
def create_action(*, action, user, pilots, operators, sites) -> Action:
    action.created_by = user
    action.created_at = action.updated_at = timezone.now()
    action.save()
    _set_relations(action, pilots=pilots, operators=operators, sites=sites)
    record_revision(action=action, user=user)
    log(instance=action, action=ACTION_CREATE, user=user)
    return action


def lock_action(action) -> Action:
    """The action's row, locked until the end of the transaction: every write takes it first."""
    return Action.objects.select_for_update(of=("self",)).get(pk=action.pk)


@dataclass
class Outcome:
    """What a save did: `conflict` when it was refused (nothing written)."""

    conflict: history.Conflict | None = None

    @property
    def saved(self) -> bool:
        return self.conflict is None


@transaction.atomic
def update_action(
    *, action, user, pilots, operators, sites, visible_sites=None, base_revision_id=None
) -> Outcome:
    """Save the action form: `action` holds the form's values (unsaved). Refused with the
    changes made meanwhile when another save changed the form's fields since
    `base_revision_id`. The sites the user may not list (outside `visible_sites`, when given)
    are those of the action at the time of the save, whatever the form saw."""
    locked = lock_action(action)
    conflict = history.conflict_since(locked, base_revision_id, part="action", reader=user)
    if conflict is not None:
        return Outcome(conflict=conflict)
    if visible_sites is not None:
        visible = set(visible_sites.values_list("pk", flat=True))
        sites = [
            *(site for site in sites if site.pk in visible),
            *locked.sites.exclude(pk__in=visible),
        ]
    action.created_at, action.created_by_id = locked.created_at, locked.created_by_id
    action.updated_at = timezone.now()
    action.save()
    _set_relations(action, pilots=pilots, operators=operators, sites=sites)
    record_revision(action=action, user=user)
    log(instance=action, action=ACTION_UPDATE, user=user)
    return Outcome()


@transaction.atomic
def save_finances(*, action, user, rows, base_revision_id=None) -> Outcome:
    """Replace the action's finances by `rows` (unsaved `ActionFinance`, already validated),
    unless another save changed them since `base_revision_id`."""
    locked = lock_action(action)
    conflict = history.conflict_since(locked, base_revision_id, part="finances", reader=user)
    if conflict is not None:
        return Outcome(conflict=conflict)
    ActionFinance.objects.filter(action=locked).delete()
    for row in rows:
        row.action = locked
    ActionFinance.objects.bulk_create(rows)
    locked.updated_at = timezone.now()
    locked.save(update_fields=["updated_at"])
    record_revision(action=locked, user=user)
    # The audit log names the years, never the amounts.
    log(
        instance=locked,
        action=ACTION_FINANCES,
        user=user,
        data={"years": sorted({row.year for row in rows})},
    )
    return Outcome()


@transaction.atomic
def save_indicators(*, action, year, values, user, base_revision_id=None) -> Outcome:
    """Save one year's indicators, unless another save changed them since `base_revision_id`."""
    locked = lock_action(action)
    conflict = history.conflict_since(locked, base_revision_id, part=year, reader=user)
    if conflict is not None:
        return Outcome(conflict=conflict)
    row, _created = ActionIndicators.objects.get_or_create(action=locked, year=year)
    for name in indicators.FIELDS:
        setattr(row, name, values.get(name))
    row.updated_at = timezone.now()
    row.updated_by = user
    row.save()
    record_revision(action=locked, user=user)
    log(instance=locked, action=ACTION_INDICATORS, user=user, data={"year": year})
    return Outcome()


# --- Pilot requests -----------------------------------------------------------------------------


@transaction.atomic
def ask_to_pilot(*, action, user) -> PilotRequest:
    # One pending request per person and action (a partial unique constraint): a request sent
    # twice at once is stored and logged once.
    request, created = PilotRequest.objects.get_or_create(
        action=action, user=user, status=PilotRequestStatus.PENDING
    )
    if created:
        log(instance=action, action=ACTION_PILOT_REQUEST, user=user)
        notifications.notify_pilot_request(request)
    return request


@transaction.atomic
def decide_pilot_request(*, pilot_request, user, accept: bool) -> tuple[PilotRequest, bool]:
    """Accept or refuse a pending request. Returns the request and whether this call decided
    it (False: someone decided it meanwhile, the request says how)."""
    # The action first, as every write to it: an accepted pilot is a change of the action's form
    # fields, which a save based on an older revision then sees as a conflict.
    lock_action(pilot_request.action)
    pilot_request = PilotRequest.objects.select_for_update(of=("self",)).get(pk=pilot_request.pk)
    if pilot_request.status != PilotRequestStatus.PENDING:
        return pilot_request, False
    pilot_request.status = PilotRequestStatus.ACCEPTED if accept else PilotRequestStatus.REFUSED
    pilot_request.decided_at = timezone.now()
    pilot_request.decided_by = user
    pilot_request.save()
    action = pilot_request.action
    if accept:
        action.pilots.add(pilot_request.user)
        record_revision(action=action, user=user)
    log(
        instance=action,
        action=ACTION_PILOT_ACCEPT if accept else ACTION_PILOT_REFUSE,
        user=user,
        data={"user": pilot_request.user_id},
    )
    notifications.notify_pilot_decision(pilot_request)
    return pilot_request, True
