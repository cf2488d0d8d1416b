"""The action export (CSV or XLSX) of the filtered actions: the same rules as the site export
(`core.spreadsheets`: every cell neutralised, each export logged before the file is sent).
Finance columns are filled only for the actions whose finances the user may read; the others
get empty cells, and when the user may read no finances at all, the columns are absent."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from actions import indicators, perms, services
from actions.enums import ActionStatus, FinanceType, LocationType
from actions.models import ActionExport, ActionIndicators
from core import spreadsheets
from core.spreadsheets import Export, safe_cell


def _money(value) -> Decimal:
    return value if value is not None else Decimal(0)


def build(user, actions, *, with_finances: bool) -> Export:
    """`actions`: a list, prefetched with operators, pilots, sites, finances and department."""
    headers = [
        _("Identifier"),
        _("Name"),
        _("Department"),
        _("Topics"),
        _("Status"),
        _("Start date"),
        _("End date"),
        _("Location"),
        _("Principal operator"),
        _("Other operators"),
        _("Pilots"),
        _("Number of sites"),
        _("Goals"),
    ]
    if with_finances:
        headers += [
            f"{_('Planned')} — {FinanceType(kind).label}" for kind in FinanceType.values
        ] + [_("Total planned"), _("Total spent")]
    rows = []
    for action in actions:
        operators = list(action.operator_rows.all())
        principal = next((row for row in operators if row.is_principal), None)
        row = [
            action.pk,
            action.name,
            action.department.name,
            ", ".join(action.topic_labels()),
            str(ActionStatus(action.status).label),
            action.started_at,
            action.ended_at,
            str(LocationType(action.location_type).label),
            str(principal.organization) if principal else "",
            ", ".join(str(row.organization) for row in operators if row is not principal),
            ", ".join(pilot.get_full_name() or pilot.email for pilot in action.pilots.all()),
            len(action.sites.all()),
            action.goals,
        ]
        if with_finances:
            if perms.can_access_finances(user, action):
                finances = list(action.finances.all())
                row += [
                    sum(
                        (_money(f.planned_amount) for f in finances if f.finance_type == kind),
                        Decimal(0),
                    )
                    for kind in FinanceType.values
                ]
                row += [
                    sum((_money(f.planned_amount) for f in finances), Decimal(0)),
                    sum((_money(f.spent_amount) for f in finances), Decimal(0)),
                ]
            else:
                row += [None] * (len(FinanceType.values) + 2)
        rows.append([safe_cell(value) for value in row])
    return Export(headers=headers, rows=rows)


def indicator_sheets(actions) -> dict[int, Export]:
    """One table per year: the indicators of each action for that year."""
    labels = [
        str(ActionIndicators._meta.get_field(name).verbose_name) for name in indicators.FIELDS
    ]
    years: dict[int, Export] = {}
    for action in actions:
        for row in action.indicators.all():
            sheet = years.setdefault(
                row.year, Export(headers=[_("Identifier"), _("Name"), *labels], rows=[])
            )
            sheet.rows.append(
                [action.pk, safe_cell(action.name), *(row.values()[n] for n in indicators.FIELDS)]
            )
    return dict(sorted(years.items()))


def to_xlsx(export: Export, *, sheets: dict[int, Export], about) -> bytes:
    """The actions, one sheet of indicators per year, and the export's description."""
    return spreadsheets.to_xlsx(
        export,
        sheet_title=_("Actions"),
        more_sheets={
            _("Indicators %(year)s") % {"year": year}: table for year, table in sheets.items()
        },
        about=about,
    )


@transaction.atomic
def record_export(*, user, file_format, filters, action_count, with_finances) -> ActionExport:
    """Log an export (its record and audit entry) before its file is sent."""
    record = ActionExport.objects.create(
        user=user,
        file_format=file_format,
        filters=filters,
        action_count=action_count,
        with_finances=with_finances,
    )
    log(instance=record, action=services.ACTION_EXPORT, user=user)
    return record
