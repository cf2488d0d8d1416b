"""Presentation of the published statistics: labels, headline figures, table rows, chart and map
geometry, the CSV rows and the API document, all from the cached (already suppressed) data of
`cms.statistics`. Nothing here reads the database nor sees a raw figure."""

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cms.statistics.charts import bar_chart, display, horizontal_bars, is_suppressed
from cms.statistics.maps import department_map
from sitepages.enums import SolutionType

HEADLINE_LABELS = {
    "open_sites": _("open sites"),
    "people": _("people living in them"),
    "minors": _("minors"),
    "minors_in_school": _("minors in school"),
    "departments": _("departments involved"),
}
CONTRIBUTION_LABELS = {
    "site_updates": _("site updates"),
    "journal": _("journal messages"),
    "forum": _("mutual-aid posts"),
}


def rehousing_solutions() -> list[tuple[str, str]]:
    """Solution types that rehouse (all but "social watch / no solution")."""

    return [(key, label) for key, label in SolutionType.choices if key != SolutionType.NO_SOLUTION]


@dataclass
class Figure:
    key: str
    label: str
    value: int | str

    @property
    def display(self) -> str:
        return display(self.value)

    @property
    def suppressed(self) -> bool:
        return is_suppressed(self.value)


class PublicStatistics:
    """The published statistics, with labels and chart geometry for the templates."""

    def __init__(self, data: dict):
        self.data = data

    @property
    def computed_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.data["computed_at"])

    @property
    def headline(self) -> list[Figure]:
        totals = self.data["totals"]
        return [Figure(key, label, totals[key]) for key, label in HEADLINE_LABELS.items()]

    @property
    def solutions(self):
        return rehousing_solutions()

    @property
    def years(self) -> list[dict]:
        rows = []
        for row in self.data["years"]:
            rows.append(
                {
                    **row,
                    "closed_display": display(row["closed_sites"]),
                    "resorbed_display": display(row["resorbed_sites"]),
                    "rehoused_display": display(row["rehoused_people"]),
                    "housed_actions_display": display(row.get("housed_through_actions", 0)),
                    "in_school_actions_display": display(row.get("in_school_through_actions", 0)),
                    "by_solution": [
                        display(row["rehoused_by_solution"][key]) for key, _label in self.solutions
                    ],
                }
            )
        return rows

    @property
    def months(self) -> list[dict]:
        rows = []
        for row in self.data["months"]:
            month = datetime.date.fromisoformat(row["month"] + "-01")
            rows.append(
                {
                    **row,
                    "label": formats.date_format(month, "F Y"),
                    "short_label": formats.date_format(month, "M y"),
                    "active_display": display(row["active_users"]),
                    "contribution_values": [
                        display(row["contributions"][key]) for key in self.contribution_kinds
                    ],
                    "total_display": display(row["contributions_total"]),
                }
            )
        return rows

    @property
    def contribution_kinds(self) -> list[str]:
        months = self.data["months"]
        return list(months[0]["contributions"]) if months else []

    @property
    def contribution_labels(self) -> list[str]:
        return [CONTRIBUTION_LABELS[key] for key in self.contribution_kinds]

    @property
    def departments(self) -> list[dict]:
        rows = self.data["departments"]
        bars = horizontal_bars([(row["name"], row["people"]) for row in rows])
        return [
            {
                **row,
                "label": f"{row['name']} ({row['code']})",
                "sites_display": display(row["open_sites"]),
                "people_display": display(row["people"]),
                "percent": bar["percent"],
            }
            for row, bar in zip(rows, bars, strict=True)
        ]

    @property
    def department_map(self) -> dict:
        """Geometry of the department map (proportional circles), from the same rows."""
        return department_map(self.data["departments"], threshold=self.data["thresholds"]["people"])

    def charts(self) -> dict:
        years = self.data["years"]
        months = self.months
        return {
            "resorbed": bar_chart([(str(r["year"]), r["resorbed_sites"]) for r in years]),
            "closed": bar_chart([(str(r["year"]), r["closed_sites"]) for r in years]),
            "rehoused": bar_chart([(str(r["year"]), r["rehoused_people"]) for r in years]),
            "active_users": bar_chart(
                [(m["short_label"], m["active_users"]) for m in months], bar=30
            ),
            "contributions": bar_chart(
                [(m["short_label"], m["contributions_total"]) for m in months], bar=30
            ),
        }

    def tables(self) -> dict:
        """The accessible tables under the charts: caption, column headers and rows (a row
        header then its cells), for `cms/includes/statistics_table.html`."""
        years, months = self.years, self.months
        return {
            "years": {
                "caption": _("Sites closed and resorbed, per year"),
                "headers": [_("Year"), _("Sites closed"), _("of which resorbed")],
                "rows": [
                    {"header": r["year"], "cells": [r["closed_display"], r["resorbed_display"]]}
                    for r in years
                ],
            },
            "rehoused": {
                "caption": _("People rehoused when their site closed, per year and solution"),
                "headers": [_("Year"), *(label for _key, label in self.solutions), _("Total")],
                "rows": [
                    {"header": r["year"], "cells": [*r["by_solution"], r["rehoused_display"]]}
                    for r in years
                ],
                "no_scroll": True,
            },
            "actions": {
                "caption": _("Results of the resorption actions, per year"),
                "headers": [_("Year"), _("People housed"), _("Minors in school")],
                "rows": [
                    {
                        "header": r["year"],
                        "cells": [r["housed_actions_display"], r["in_school_actions_display"]],
                    }
                    for r in years
                ],
            },
            "months": {
                "caption": _("Active users and contributions, per month"),
                "headers": [
                    _("Month"),
                    _("Active users"),
                    *(capfirst(label) for label in self.contribution_labels),
                    _("Contributions"),
                ],
                "rows": [
                    {
                        "header": capfirst(m["label"]),
                        "cells": [
                            m["active_display"],
                            *m["contribution_values"],
                            m["total_display"],
                        ],
                    }
                    for m in months
                ],
            },
        }

    # --- Open data --------------------------------------------------------------------------

    def csv_rows(self) -> list[list]:
        """One long table: (section, period or territory, indicator, value)."""
        rows = [["section", "periode_ou_territoire", "indicateur", "valeur"]]
        for key, value in self.data["totals"].items():
            rows.append(["total", "", key, value])
        for row in self.data["departments"]:
            rows.append(["departement", row["code"], "open_sites", row["open_sites"]])
            rows.append(["departement", row["code"], "people", row["people"]])
        for row in self.data["years"]:
            for key in ("closed_sites", "resorbed_sites", "rehoused_people"):
                rows.append(["annee", row["year"], key, row[key]])
            for key in ("housed_through_actions", "in_school_through_actions"):
                if key in row:
                    rows.append(["annee", row["year"], key, row[key]])
            for key, value in row["rehoused_by_solution"].items():
                rows.append(["annee", row["year"], f"rehoused_people:{key}", value])
        for row in self.data["months"]:
            rows.append(["mois", row["month"], "active_users", row["active_users"]])
            for key, value in row["contributions"].items():
                rows.append(["mois", row["month"], f"contributions:{key}", value])
        return rows

    def as_api(self) -> dict:
        return {
            **self.data,
            "suppression": {
                "people_threshold": self.data["thresholds"]["people"],
                "sites_threshold": self.data["thresholds"]["sites"],
                "note": "Counts below a threshold are published as '< N' (statistical secrecy).",
            },
        }
