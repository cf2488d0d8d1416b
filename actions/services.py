"""Action operations (keyword-only arguments): create, update, finances, indicators, pilot
requests. Views check `actions.perms` first; these functions write, store a revision (a snapshot
of the whole action, diffed by `actions.history`) and write Wagtail's audit log (actions
registered in `actions.wagtail_hooks`)."""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from actions import indicators
from actions.enums import PilotRequestStatus
from actions.models import (
    Action,
    ActionFinance,
    ActionIndicators,
    ActionOperator,
    ActionRevision,
    PilotRequest,
)

ACTION_CREATE = "actions.create"
ACTION_UPDATE = "actions.update"
ACTION_FINANCES = "actions.finances"
ACTION_INDICATORS = "actions.indicators"
ACTION_PILOT_REQUEST = "actions.pilot_request"
ACTION_PILOT_ACCEPT = "actions.pilot_accept"
ACTION_PILOT_REFUSE = "actions.pilot_refuse"
ACTION_EXPORT = "actions.export"

#: The action's own fields, in the order of the form (the history shows them in this order).
FIELDS = (
    "name",
    "goals",
    "topics",
    "started_at",
    "ended_at",
    "department",
    "location_type",
    "location_address",
    "location_commune",
    "location_other",
    "sites",
    "pilots",
    "operators",
)


def _amount(value):
    return None if value is None else str(value)


def snapshot(action) -> dict:
    """The whole action as JSON: its fields, relations, finances and indicators."""
    return {
        "name": action.name,
        "goals": action.goals,
        "topics": list(action.topics),
        "started_at": action.started_at.isoformat() if action.started_at else None,
        "ended_at": action.ended_at.isoformat() if action.ended_at else None,
        "department": action.department_id,
        "location_type": action.location_type,
        "location_address": action.location_address,
        "location_commune": action.location_commune_id,
        "location_other": action.location_other,
        "sites": sorted(action.sites.values_list("pk", flat=True)),
        "pilots": sorted(action.pilots.values_list("pk", flat=True)),
        "operators": [
            [row.organization_id, row.is_principal]
            for row in action.operator_rows.order_by("organization_id")
        ],
        "finances": [
            [row.year, row.finance_type, _amount(row.planned_amount), _amount(row.spent_amount)]
            + [row.comment]
            for row in action.finances.order_by("year", "finance_type")
        ],
        "indicators": {str(row.year): row.values() for row in action.indicators.order_by("year")},
    }


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


@transaction.atomic
def update_action(*, action, user, pilots, operators, sites) -> Action:
    action.updated_at = timezone.now()
    action.save()
    _set_relations(action, pilots=pilots, operators=operators, sites=sites)
    record_revision(action=action, user=user)
    log(instance=action, action=ACTION_UPDATE, user=user)
    return action


@transaction.atomic
def save_finances(*, action, user, rows) -> None:
    """Replace the action's finances by `rows` (unsaved `ActionFinance`, already validated)."""
    ActionFinance.objects.filter(action=action).delete()
    for row in rows:
        row.action = action
    ActionFinance.objects.bulk_create(rows)
    action.updated_at = timezone.now()
    action.save(update_fields=["updated_at"])
    record_revision(action=action, user=user)
    # The audit log names the years, never the amounts.
    log(
        instance=action,
        action=ACTION_FINANCES,
        user=user,
        data={"years": sorted({row.year for row in rows})},
    )


@transaction.atomic
def save_indicators(*, action, year, values, user) -> ActionIndicators:
    row, _created = ActionIndicators.objects.get_or_create(action=action, year=year)
    for name in indicators.FIELDS:
        setattr(row, name, values.get(name))
    row.updated_at = timezone.now()
    row.updated_by = user
    row.save()
    record_revision(action=action, user=user)
    log(instance=action, action=ACTION_INDICATORS, user=user, data={"year": year})
    return row


# --- Pilot requests -----------------------------------------------------------------------------


@transaction.atomic
def ask_to_pilot(*, action, user) -> PilotRequest:
    request, _created = PilotRequest.objects.get_or_create(
        action=action, user=user, status=PilotRequestStatus.PENDING
    )
    log(instance=action, action=ACTION_PILOT_REQUEST, user=user)
    return request


@transaction.atomic
def decide_pilot_request(*, pilot_request, user, accept: bool) -> PilotRequest:
    pilot_request = PilotRequest.objects.select_for_update().get(pk=pilot_request.pk)
    if pilot_request.status != PilotRequestStatus.PENDING:
        return pilot_request
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
    return pilot_request
