"""Site exports: CSV and XLSX, with sections chosen by the user, of the sites as they are now or
as they were at the end of a past day (docs/domain.md#exports-and-dashboard).

What an export holds is decided here and nowhere else:
- the sites: those the user may list *and* export (`Feature.SITE_LIST` and `Feature.SITE_EXPORT`
  scopes), filtered like the list;
- the owners and the justice procedures: a section offered only to users who hold the feature
  somewhere, and filled only on the sites where they hold it (empty cells elsewhere);
- sections other apps add through `register_section` (the journal adds its last messages the user
  may read): the app provides the text per site, sitepages knows nothing of it.

A past date reads each site's last revision saved before the end of that day, so the values,
the status and the children (owners, actors, solutions) are those of that day. Text cells that a
spreadsheet would run as a formula (=, +, -, @, tab, carriage return) are neutralised; the
files are written by `core.spreadsheets`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from core.spreadsheets import Export, safe_cell
from directory import perms
from directory.models import Commune, User
from directory.permission_matrix import Feature, Scope
from sitepages import living_conditions
from sitepages.enums import LivingConditionTheme, SiteActorTheme, SolutionType
from sitepages.field_groups import (
    CONDITION_FIELDS,
    HOUSING_FIELDS,
    JUSTICE_FIELDS,
    POPULATION_FIELDS,
    RESORPTION_FIELDS,
    SOCIAL_DIAGNOSIS_FIELDS,
)
from sitepages.models import SiteExport

# --- Sections -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    feature: str | None = None  # needed on the site for its cells to be filled
    default: bool = False


SECTIONS = [
    Section("localisation", gettext_lazy("Location"), default=True),
    Section("site", gettext_lazy("Site"), default=True),
    Section("habitants", gettext_lazy("Inhabitants"), default=True),
    Section("conditions", gettext_lazy("Living conditions")),
    Section("proprietaires", gettext_lazy("Owners"), feature=Feature.SITE_OWNERS),
    Section("procedures", gettext_lazy("Procedures"), feature=Feature.SITE_JUSTICE),
    Section("intervenants", gettext_lazy("Actors")),
    Section("fermeture", gettext_lazy("Closing and solutions")),
]
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}

#: What a section added by another app provides: (user, site ids, before) → {site id: [texts]},
#: in a constant number of queries, with only what `user` may read; `before` (a datetime or
#: None) asks for the state at the end of a past day.
SectionProvider = Callable[..., dict]
PROVIDERS: dict[str, SectionProvider] = {}


def register_section(section: Section, provider: SectionProvider) -> None:
    """Add a section filled by a higher app (called from its AppConfig.ready); one column, the
    texts of a site joined by blank lines."""
    if section.key not in SECTIONS_BY_KEY:
        SECTIONS.append(section)
        SECTIONS_BY_KEY[section.key] = section
    PROVIDERS[section.key] = provider


SITE_FIELDS = [
    "name",
    "field_type",
    "declared_at",
    "installed_at",
    "updated_at",
    "last_visited_at",
    "reinstallation",
    "reinstallation_comments",
    *SOCIAL_DIAGNOSIS_FIELDS,
    *RESORPTION_FIELDS,
    "heatwave",
]
INHABITANT_FIELDS = [
    *POPULATION_FIELDS,
    "population_updated_at",
    *HOUSING_FIELDS,
    "origins",
]
CLOSING_FIELDS = ["closed_at", "closing_cause", "closing_context", "closed_with_solutions"]


def available_sections(user) -> list[Section]:
    """The sections `user` may choose: the restricted ones only if they hold the feature."""
    return [
        section
        for section in SECTIONS
        if section.feature is None or perms.scope_for(user, section.feature) != Scope.NONE
    ]


# --- Cell values --------------------------------------------------------------------------------


def field_value(site, name: str):
    """A field's value as a spreadsheet cell: numbers and dates as such, choices as labels."""
    from sitepages.models import SitePage

    model_field = SitePage._meta.get_field(name)
    value = getattr(site, name)
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        choices = dict(model_field.base_field.choices or [])
        return ", ".join(str(choices.get(item, item)) for item in value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return value


def field_header(name: str) -> str:
    from sitepages.models import SitePage

    return capfirst(str(SitePage._meta.get_field(name).verbose_name))


def site_status(site) -> str:
    if site.is_resorbed:
        return _("Resorbed")
    if site.is_closed:
        return _("Closed")
    return _("Open")


@dataclass
class Context:
    """What the cells need beyond the site itself, fetched in bulk."""

    communes: dict
    users: dict
    owners_allowed: set
    justice_allowed: set
    provided: dict  # section key → {site id: [texts]} for the sections of other apps
    request: object


Column = tuple[str, Callable]


def _fields(names, *, allowed: str | None = None) -> list[Column]:
    def getter(name):
        if allowed is None:
            return lambda site, ctx: field_value(site, name)
        return lambda site, ctx: (
            field_value(site, name) if site.pk in getattr(ctx, allowed) else None
        )

    return [(field_header(name), getter(name)) for name in names]


def _commune(site, ctx):
    return ctx.communes.get(site.commune_id)


def _owners(site, ctx):
    if site.pk not in ctx.owners_allowed:
        return None
    return "; ".join(
        str(owner.get_type_display()) + (f" — {owner.name}" if owner.name else "")
        for owner in site.owners.all()
    )


def _actors(site, ctx):
    parts = []
    for actor in site.actors.all():
        user = ctx.users.get(actor.user_id)
        if user is None:
            continue
        name = user.get_full_name() or user.email
        if user.organization_id:
            name += f" ({user.organization.name})"
        themes = ", ".join(
            str(SiteActorTheme(theme).label) if theme in SiteActorTheme.values else theme
            for theme in actor.themes
        )
        parts.append(f"{name} : {themes}" if themes else name)
    return "; ".join(parts)


def _solutions(site, ctx):
    parts = []
    for row in site.closing_solutions.all():
        label = (
            SolutionType(row.solution_type).label
            if row.solution_type in SolutionType.values
            else row.solution_type
        )
        parts.append(
            _("%(solution)s: %(people)s people, %(households)s households")
            % {
                "solution": label,
                "people": "—" if row.people is None else row.people,
                "households": "—" if row.households is None else row.households,
            }
        )
    return "; ".join(parts)


def _provided(key):
    return lambda site, ctx: "\n\n".join(ctx.provided[key].get(site.pk, []))


def _condition(theme):
    return lambda site, ctx: str(living_conditions.statuses(site)[theme].label)


def columns(sections: list[str]) -> list[Column]:
    """The columns of the chosen sections, in the order of `SECTIONS`."""
    chosen = set(sections)
    result: list[Column] = [(_("Identifier"), lambda site, ctx: site.pk)]
    if "localisation" in chosen:
        result += [
            (
                _("Department code"),
                lambda site, ctx: getattr(_commune(site, ctx), "department_id", None),
            ),
            (
                _("Department"),
                lambda site, ctx: getattr(
                    getattr(_commune(site, ctx), "department", None), "name", None
                ),
            ),
            (_("Commune"), lambda site, ctx: getattr(_commune(site, ctx), "name", None)),
            (_("INSEE code"), lambda site, ctx: site.commune_id),
            *_fields(["address", "access_details", "latitude", "longitude"]),
        ]
    if "site" in chosen:
        result += [
            (_("Status"), lambda site, ctx: site_status(site)),
            *_fields(SITE_FIELDS),
            (_("Link"), lambda site, ctx: site.get_full_url(ctx.request)),
        ]
    if "habitants" in chosen:
        result += _fields(INHABITANT_FIELDS)
    if "conditions" in chosen:
        result += [
            (_("Status: %(theme)s") % {"theme": theme.label}, _condition(theme))
            for theme in LivingConditionTheme
        ]
        result += _fields(CONDITION_FIELDS)
    if "proprietaires" in chosen:
        result.append((_("Owners"), _owners))
    if "procedures" in chosen:
        result += _fields(JUSTICE_FIELDS, allowed="justice_allowed")
    if "intervenants" in chosen:
        result.append((_("Actors"), _actors))
    if "fermeture" in chosen:
        result += [*_fields(CLOSING_FIELDS), (_("Solutions offered"), _solutions)]
    for key in PROVIDERS:
        if key in chosen:
            result.append((str(SECTIONS_BY_KEY[key].label), _provided(key)))
    return result


# --- Sites, now or as of a day ------------------------------------------------------------------


def exportable_sites(user):
    """The live sites `user` may both list and export."""
    from sitepages.models import SitePage

    return (
        SitePage.objects.live()
        .visible_to(user)
        .filter(perms.scope_q(user, Feature.SITE_EXPORT, "commune"))
    )


def _end_of(day: datetime.date) -> datetime.datetime:
    next_day = day + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time()))


def sites_as_of(site_ids: list[int], day: datetime.date) -> list:
    """Each site as its last revision before the end of `day` left it; sites with no revision
    by then did not exist yet and are left out."""
    from wagtail.models import Revision

    revisions = (
        Revision.page_revisions.filter(
            object_id__in=[str(pk) for pk in site_ids], created_at__lt=_end_of(day)
        )
        .order_by("object_id", "-created_at", "-pk")
        .distinct("object_id")
    )
    sites = []
    for revision in revisions:
        site = revision.as_object()
        if site.declared_at and site.declared_at > day:
            continue
        if site.closed_at and site.closed_at > day:
            site.closed_at = None  # closed after that day: still open then
            site.closed_with_solutions = None
        sites.append(site)
    sites.sort(key=lambda site: site.pk)
    return sites


def keep_status(sites, status: str) -> list:
    from sitepages.filters import STATUS_CLOSED, STATUS_OPEN, STATUS_RESORBED

    if status == STATUS_OPEN:
        return [site for site in sites if not site.is_closed]
    if status == STATUS_CLOSED:
        return [site for site in sites if site.is_closed]
    if status == STATUS_RESORBED:
        return [site for site in sites if site.is_resorbed]
    return list(sites)


def build_context(request, sites, sections, *, before) -> Context:
    from sitepages.models import SitePage

    user = request.user
    site_ids = [site.pk for site in sites]
    communes = {
        commune.pk: commune
        for commune in Commune.objects.filter(
            pk__in={site.commune_id for site in sites}
        ).select_related("department")
    }
    users = {}
    if "intervenants" in sections:
        user_ids = {actor.user_id for site in sites for actor in site.actors.all()}
        users = {
            member.pk: member
            for member in User.objects.filter(pk__in=user_ids).select_related("organization")
        }

    def allowed(feature):
        if not site_ids:
            return set()
        return set(
            SitePage.objects.filter(pk__in=site_ids)
            .filter(perms.scope_q(user, feature, "commune"))
            .values_list("pk", flat=True)
        )

    return Context(
        communes=communes,
        users=users,
        owners_allowed=allowed(Feature.SITE_OWNERS) if "proprietaires" in sections else set(),
        justice_allowed=allowed(Feature.SITE_JUSTICE) if "procedures" in sections else set(),
        provided={
            key: provider(user, site_ids, before=before)
            for key, provider in PROVIDERS.items()
            if key in sections
        },
        request=request,
    )


def build(request, queryset, *, sections, status, as_of=None) -> Export:
    """The export of the sites of `queryset` (already filtered like the list, all statuses when
    `as_of` is given: the status is then read at that day)."""
    if as_of is None:
        sites = list(
            queryset.select_related(None)
            .prefetch_related("owners", "closing_solutions", "actors")
            .order_by("pk")
        )
        before = None
    else:
        site_ids = list(queryset.values_list("pk", flat=True))
        sites = keep_status(sites_as_of(site_ids, as_of), status)
        before = _end_of(as_of)
    chosen = [key for key in SECTIONS_BY_KEY if key in sections]
    ctx = build_context(request, sites, chosen, before=before)
    cols = columns(chosen)
    return Export(
        headers=[header for header, _getter in cols],
        rows=[[safe_cell(getter(site, ctx)) for _header, getter in cols] for site in sites],
    )


@transaction.atomic
def record_export(*, user, file_format, sections, status, as_of, filters, site_count) -> SiteExport:
    """Log an export (its record and audit entry) before its file is sent."""
    record = SiteExport.objects.create(
        user=user,
        file_format=file_format,
        sections=sections,
        status=status,
        as_of=as_of,
        filters=filters,
        site_count=site_count,
    )
    log(instance=record, action="sitepages.export", user=user)
    return record
