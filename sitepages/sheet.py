"""The printable sheet of a site (docs/sites.md#printable-sheet): what the reader may see of one
site, on one A4 page.

`sheet_data` gathers it once; the HTML page (`views_sheet`, `sitepages/sheet.html`, printed by the
browser) and the Word document (`sheet_docx.write`) both read it. The owners and the justice
procedures are absent (None) for a reader without the right on that site, never merely hidden.
Every sheet, printed or downloaded, is logged (`record_sheet`).
"""

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from directory import perms
from directory.permission_matrix import Feature
from sitepages import resorption
from sitepages.enums import SiteActorTheme
from sitepages.field_groups import (
    HOUSING_FIELDS,
    JUSTICE_FIELDS,
    POPULATION_FIELDS,
    SOCIAL_DIAGNOSIS_FIELDS,
)
from sitepages.models import SiteActor
from sitepages.views import answered, counts, display_value, living_conditions, site_status

#: Audit log action of a sheet; its entry's `data["format"]` is one of FORMATS.
ACTION_SHEET = "sitepages.sheet"
HTML, DOCX = "html", "docx"
FORMATS = (HTML, DOCX)

IDENTITY_FIELDS = ["address", "field_type", "declared_at", "installed_at", "updated_at"]
CLOSING_FIELDS = ["closed_at", "closing_cause", "closing_context"]


def _capitalised(rows) -> list[tuple[str, str]]:
    return [(capfirst(str(label)), value) for label, value in rows]


def _load(site, *, with_owners: bool) -> None:
    """The site's rows the sheet shows, in a constant number of queries."""
    lookups = [
        Prefetch(
            "actors",
            queryset=SiteActor.objects.select_related("user__organization").order_by(
                "sort_order", "pk"
            ),
        )
    ]
    if with_owners:
        lookups.append("owners")
    prefetch_related_objects([site], *lookups)


def _actor(actor) -> dict:
    user = actor.user
    return {
        "name": user.get_full_name() or user.email,
        "organization": str(user.organization) if user.organization_id else "",
        "themes": ", ".join(
            str(SiteActorTheme(theme).label)
            for theme in actor.themes
            if theme in SiteActorTheme.values
        ),
    }


def _phases(site) -> list[dict]:
    rows = []
    for phase in resorption.phase_states(site):
        when = ""
        if phase["date"]:
            day = date_format(phase["date"], "SHORT_DATE_FORMAT")
            when = _("on %(date)s") % {"date": day}
            if phase["state"] != resorption.DONE:
                when = _("planned on %(date)s") % {"date": day}
        rows.append({**phase, "label": str(phase["label"]), "when": when})
    return rows


def sheet_data(request, site) -> dict:
    """Everything the sheet of `site` shows to `request.user` (who may read the site)."""
    user = request.user
    show_owners = perms.can(user, Feature.SITE_OWNERS, site)
    show_justice = perms.can(user, Feature.SITE_JUSTICE, site)
    _load(site, with_owners=show_owners)
    commune = site.commune
    department = commune.department
    status_label, status_badge = site_status(site)
    done, total = resorption.progress(site)
    identity = [(_("Name"), site.name)] if site.name else []
    identity += [
        (_("Commune"), commune.name),
        (_("Department"), f"{department.name} ({department.code})"),
        *_capitalised(answered(site, IDENTITY_FIELDS)),
    ]
    return {
        "title": site.title,
        "status_label": status_label,
        "status_badge": status_badge,
        "heatwave": site.heatwave,
        "identity": identity,
        "population_updated_at": display_value(site, "population_updated_at"),
        "population": _capitalised(counts(site, POPULATION_FIELDS)),
        "housing": _capitalised(counts(site, HOUSING_FIELDS)),
        "living_conditions": [
            {"theme": str(row["theme"]), "status": str(row["status"]), "badge": row["badge"]}
            for row in living_conditions(site)
        ],
        "social_diagnosis": _capitalised(answered(site, SOCIAL_DIAGNOSIS_FIELDS)),
        "resorption_target_year": site.resorption_target_year,
        "resorption_process": site.resorption_process,
        "resorption_done": done,
        "resorption_total": total,
        "resorption_phases": _phases(site) if site.resorption_process else [],
        "closing": _capitalised(answered(site, CLOSING_FIELDS)) if site.is_closed else None,
        "actors": [_actor(actor) for actor in site.actors.all()],
        "owners": [
            {"type": str(owner.get_type_display()), "name": owner.name}
            for owner in site.owners.all()
        ]
        if show_owners
        else None,
        "justice": _capitalised(answered(site, JUSTICE_FIELDS)) if show_justice else None,
        "printed_on": date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
        "printed_by": user.get_full_name() or user.email,
    }


def filename(site) -> str:
    """An ASCII file name for the sheet's download: `fiche-site-<id>-<name>.docx`."""
    name = slugify(site.title)[:60].strip("-")
    return f"fiche-site-{site.pk}{'-' + name if name else ''}.docx"


@transaction.atomic
def record_sheet(*, user, site, file_format: str) -> None:
    """Log a sheet (audit entry on the site: who, when, which format) before it is sent."""
    if file_format not in FORMATS:
        raise ValueError(file_format)
    log(site, ACTION_SHEET, user=user, data={"format": file_format})
