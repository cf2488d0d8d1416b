"""Many actions in a few queries, for the query-count tests."""

import datetime

from actions.enums import ActionTopic, FinanceType, LocationType
from actions.models import Action, ActionFinance, ActionIndicators, ActionOperator


def bulk_actions(count, *, department, organization, pilot, sites=()):
    actions = Action.objects.bulk_create(
        Action(
            name=f"Action en masse {number}",
            topics=[ActionTopic.HOUSING, ActionTopic.HEALTH],
            started_at=datetime.date(2023 + number % 2, 1, 1),
            department=department,
            location_type=LocationType.SITES,
        )
        for number in range(count)
    )
    ActionOperator.objects.bulk_create(
        ActionOperator(action=action, organization=organization, is_principal=True)
        for action in actions
    )
    Action.pilots.through.objects.bulk_create(
        Action.pilots.through(action=action, user=pilot) for action in actions
    )
    Action.sites.through.objects.bulk_create(
        Action.sites.through(action=action, sitepage=site) for action in actions for site in sites
    )
    ActionFinance.objects.bulk_create(
        ActionFinance(action=action, year=2024, finance_type=FinanceType.STATE, planned_amount=1000)
        for action in actions
    )
    ActionIndicators.objects.bulk_create(
        ActionIndicators(action=action, year=2024, people=10, minors=4) for action in actions
    )
    return actions
