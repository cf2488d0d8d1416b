"""The whole state of an action as JSON (`ActionRevision.content`): what its history diffs and
what a form's conflict check compares."""

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
