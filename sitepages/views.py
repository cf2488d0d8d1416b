"""Readers' views of the sites: a site page and the list of a department's sites.

Reached through the Wagtail page tree (`SitePage.serve`, `SiteIndexPage.serve`). Permission
decisions are `directory.perms` calls only; this module gathers what the templates show.
"""

import datetime
import html

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision

from directory import perms
from directory.permission_matrix import Feature
from sitepages import actors, hooks, resorption
from sitepages import perms as site_perms
from sitepages.completion import completion
from sitepages.enums import (
    LivingConditionStatus,
    LivingConditionTheme,
    Origin,
    SiteActorTheme,
    YesNoUnknown,
)
from sitepages.field_groups import (
    HOUSING_FIELDS,
    JUSTICE_FIELDS,
    POPULATION_FIELDS,
    SOCIAL_DIAGNOSIS_FIELDS,
    THEME_FIELDS,
)

PAGE_SIZE = 20

#: DSFR badge modifier of each living-condition status (the label is always shown too).
STATUS_BADGES = {
    LivingConditionStatus.GOOD: "fr-badge--success",
    LivingConditionStatus.TO_IMPROVE: "fr-badge--warning",
    LivingConditionStatus.BAD: "fr-badge--error",
    LivingConditionStatus.UNKNOWN: "",
}

# --- Displaying answers -------------------------------------------------------------------------


def former_sites(request, site) -> list[dict]:
    """The former sites linked to `site` that the reader may list (the others are not named)."""
    from sitepages.models import SitePage

    readable = (
        SitePage.objects.live()
        .visible_to(request.user)
        .filter(
            pk__in=SitePage.former_sites.through.objects.filter(from_sitepage_id=site.pk).values(
                "to_sitepage_id"
            )
        )
        .only("id", "title", "url_path")
        .order_by("title")
    )
    return [{"title": former.title, "url": former.get_url(request)} for former in readable]


def _label(site, name) -> str:
    return str(site._meta.get_field(name).verbose_name)


def display_value(site, name) -> str | None:
    """The answer to one question, as text; None when not answered (or answered "unknown")."""
    field = site._meta.get_field(name)
    value = getattr(site, name)
    if value is None or value == "" or value == [] or value == "unknown":
        return None
    if isinstance(value, bool):
        return str(YesNoUnknown.YES.label if value else YesNoUnknown.NO.label)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        choices = dict(field.base_field.choices)
        return ", ".join(str(choices.get(item, item)) for item in value)
    if field.choices:
        return str(getattr(site, f"get_{name}_display")())
    return str(value)


def answered(site, names) -> list[tuple[str, str]]:
    """(question, answer) for the answered questions among `names`."""
    rows = []
    for name in names:
        value = display_value(site, name)
        if value is not None:
            rows.append((_label(site, name), value))
    return rows


def counts(site, names) -> list[tuple[str, int | None]]:
    """(label, number or None) for every count, answered or not."""
    return [(_label(site, name), getattr(site, name)) for name in names]


def site_status(site) -> tuple[str, str]:
    """(label, DSFR badge modifier): open, closed or resorbed."""
    if site.is_resorbed:
        return str(_("Resorbed")), "fr-badge--success"
    if site.is_closed:
        return str(_("Closed")), "fr-badge--warning"
    return str(_("Open")), "fr-badge--info"


def living_conditions(site) -> list[dict]:
    return [
        {
            "theme": LivingConditionTheme(theme).label,
            "status": LivingConditionStatus(status).label,
            "badge": STATUS_BADGES[status],
            "details": answered(site, THEME_FIELDS[theme]),
        }
        for theme, status in site.living_conditions.items()
    ]


# --- Site page ----------------------------------------------------------------------------------


def _load_children(site) -> None:
    """Fetch the site's rows in a constant number of queries. The owners are always fetched:
    completion needs their types, even when their names are not shown."""
    from sitepages.models import SiteActor

    prefetch_related_objects(
        [site],
        "owners",
        "closing_solutions",
        Prefetch("actors", queryset=SiteActor.objects.select_related("user__organization")),
    )


def site_context(request, site) -> dict:
    user = request.user
    show_owners = perms.can(user, Feature.SITE_OWNERS, site)
    show_justice = perms.can(user, Feature.SITE_JUSTICE, site)
    _load_children(site)
    commune = site.commune
    department = commune.department
    status_label, status_badge = site_status(site)
    index = site.get_parent()
    breadcrumb = {"links": [], "current": site.title}
    if perms.can(user, Feature.SITE_LIST, department):
        breadcrumb["links"].append({"url": index.get_url(request), "title": index.title})
    return {
        "page": site,
        "self": site,
        "site": site,
        "commune": commune,
        "department": department,
        "status_label": status_label,
        "status_badge": status_badge,
        "completion": completion(site, include_owners=show_owners),
        "summary": answered(
            site, ["address", "access_details", "field_type", "declared_at", "installed_at"]
        ),
        "updated": answered(site, ["updated_at", "last_visited_at"]),
        "reinstallation": answered(site, ["reinstallation", "reinstallation_comments"]),
        "former_sites": former_sites(request, site),
        "population": counts(site, POPULATION_FIELDS),
        "population_updated_at": display_value(site, "population_updated_at"),
        "housing": counts(site, HOUSING_FIELDS),
        "origins": [Origin(origin).label for origin in site.origins if origin in Origin.values],
        "living_conditions": living_conditions(site),
        "social_diagnosis": answered(site, SOCIAL_DIAGNOSIS_FIELDS),
        "resorption_phases": resorption.phase_states(site) if site.resorption_process else [],
        "resorption_progress": resorption.progress(site),
        "closing": answered(site, ["closed_at", "closing_cause", "closing_context"])
        if site.is_closed
        else None,
        "closed_with_solutions": display_value(site, "closed_with_solutions"),
        "solutions": list(site.closing_solutions.all()) if site.is_closed else [],
        "actors": [
            {
                "user": actor.user,
                "themes": [SiteActorTheme(theme).label for theme in actor.themes],
            }
            for actor in site.actors.all()
        ],
        "actor_actions": actors.page_actions(user, site),
        "show_owners": show_owners,
        "owners": list(site.owners.all()) if show_owners else [],
        "show_justice": show_justice,
        "justice": answered(site, JUSTICE_FIELDS) if show_justice else [],
        "breadcrumb_data": breadcrumb,
        "glance": _glance(site),
        "page_menu": _page_menu(show_owners, show_justice, site.is_closed),
        "extra_sections": hooks.site_sections(request, site),
        **_actions(user, site),
    }


def _page_menu(show_owners: bool, show_justice: bool, closed: bool) -> list[dict]:
    """The side menu of the site page: its sections, in the page's order."""
    items = [
        ("living-conditions", _("Living conditions")),
        ("journal", _("Journal")),
        ("actors", _("Site actors")),
        ("summary", _("Summary")),
        ("population", _("Population and housing")),
        ("social-diagnosis", _("Social diagnosis")),
        ("resorption", _("Resorption process")),
        ("owners", _("Owners")) if show_owners else None,
        ("justice", _("Justice and procedures")) if show_justice else None,
        ("closing", _("Closing")) if closed else None,
    ]
    return [{"id": item[0], "title": item[1]} for item in items if item]


def _glance(site) -> dict:
    """The summary header: the latest change (when and by whom) and the mini map's settings."""
    revision = (
        Revision.objects.select_related("user")
        .only("created_at", "user__first_name", "user__last_name", "user__email")
        .filter(pk=site.latest_revision_id)
        .first()
        if site.latest_revision_id
        else None
    )
    return {
        "changed_at": revision.created_at if revision else None,
        "changed_by": revision.user.get_full_name() if revision and revision.user else "",
        "located": site.latitude is not None and site.longitude is not None,
        "tile_url": settings.SITES_MAP_TILE_URL,
        # plain text under the map (the setting is HTML: "&copy; <a …>OpenStreetMap</a>")
        "tile_attribution": html.unescape(strip_tags(settings.SITES_MAP_TILE_ATTRIBUTION)),
    }


def _actions(user, site) -> dict:
    """Links to the forms (edit, visit, close, history, decrees) the user may use."""
    return {"actions": site_perms.site_actions(user, site)}


def serve_site(request, site):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not perms.can(request.user, Feature.SITE_READ, site):
        raise Http404  # never reveal that the site exists
    return TemplateResponse(request, "sitepages/site_page.html", site_context(request, site))


# --- Index page ---------------------------------------------------------------------------------


def serve_index(request, index):
    """A department's index page is the site list filtered on that department."""
    from sitepages.views_list import department_index

    return department_index(request, index)
