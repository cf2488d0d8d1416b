"""Field-by-field differences between revisions of a site (its history).

A revision's `content` is the JSON of the whole page (Wagtail's `serializable_data`), child rows
included. Diffs are computed on that JSON, field by field, in the order of the form; values are
shown as a reader sees them. The sensitive groups (owners, justice) are dropped for users without
the right, so that neither the values nor the fact that they changed leak.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.db.models import Model
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from directory import perms
from directory.models import Commune, User
from directory.permission_matrix import Feature
from sitepages import field_groups
from sitepages.enums import OwnerType, SiteActorTheme, SolutionType, YesNoUnknown

#: The site's own fields, in the order of the form (Page internals are never shown).
SITE_FIELDS = field_groups.SITE_FIELDS
OWNER_FIELDS = ("owners",)
JUSTICE_FIELDS = tuple(field_groups.JUSTICE_FIELDS)
CHILD_FIELDS = ("owners", "closing_solutions", "actors")
ALL_FIELDS = (
    *SITE_FIELDS[: SITE_FIELDS.index("closed_at")],
    "owners",
    *SITE_FIELDS[SITE_FIELDS.index("closed_at") :],
    "closing_solutions",
    "actors",
)

#: Sensitive groups: the feature a user needs to see them.
RESTRICTED = {Feature.SITE_OWNERS: OWNER_FIELDS, Feature.SITE_JUSTICE: JUSTICE_FIELDS}

EMPTY = "—"


def hidden_fields(user, site) -> set[str]:
    """The fields `user` may not see on `site`."""
    hidden = set()
    for feature, names in RESTRICTED.items():
        if not perms.can(user, feature, site):
            hidden.update(names)
    return hidden


def visible_fields(user, site) -> tuple[str, ...]:
    hidden = hidden_fields(user, site)
    return tuple(name for name in ALL_FIELDS if name not in hidden)


def label(name: str) -> str:
    from sitepages.models import SitePage

    labels = {
        "owners": _("owners"),
        "closing_solutions": _("closing solutions"),
        "actors": _("site actors"),
    }
    if name in labels:
        return str(labels[name])
    return str(SitePage._meta.get_field(name).verbose_name)


# --- Normalising raw values ---------------------------------------------------------------------


def _children(name, rows) -> tuple:
    """Child rows reduced to what a reader sees, in their order (ids and order are noise)."""
    rows = sorted(rows or [], key=lambda row: (row.get("sort_order") or 0, row.get("pk") or 0))
    if name == "owners":
        return tuple((row.get("type") or "", row.get("name") or "") for row in rows)
    if name == "closing_solutions":
        return tuple(
            (row.get("solution_type") or "", row.get("people"), row.get("households"))
            for row in rows
        )
    return tuple((row.get("user"), _themes(row.get("themes"))) for row in rows)


def _themes(raw) -> tuple:
    """An actor's themes: a list, or its JSON text as revisions store an array of a child row
    (read as a list, never as its characters)."""
    from sitepages.models import SiteActor

    if isinstance(raw, str):
        try:
            raw = SiteActor._meta.get_field("themes").to_python(raw)
        except ValueError:  # not JSON: shown as it is
            raw = [raw]
    return tuple(raw or ())


def normalise(name: str, raw):
    """A raw JSON value as a comparable Python value."""
    from sitepages.models import SitePage

    if name in CHILD_FIELDS:
        return _children(name, raw)
    model_field = SitePage._meta.get_field(name)
    if raw in (None, "", []):
        return None if model_field.null or raw is None else raw
    if model_field.many_to_many:
        return tuple(sorted(raw))
    if model_field.is_relation:
        return raw
    if isinstance(model_field, ArrayField):
        return _choice_set(model_field, raw)
    if isinstance(raw, list):
        return tuple(raw)
    return model_field.to_python(raw)


def _choice_set(model_field, raw) -> tuple | None:
    """Several answers (stored as a list, or as its JSON text in revisions): a set, kept as a
    tuple in the order of the choices — the order they were ticked in is no change."""
    try:
        values = model_field.to_python(raw) if isinstance(raw, str) else raw
    except ValueError:  # not JSON: shown as it is
        values = [raw]
    if not values:
        return None
    order = {
        value: index for index, (value, _label) in enumerate(model_field.base_field.choices or [])
    }
    return tuple(sorted(set(values), key=lambda value: (order.get(value, len(order)), str(value))))


def _is_empty(value) -> bool:
    return value in (None, "", (), [])


@dataclass
class Lookups:
    """Names of the related objects the values point to, fetched in bulk."""

    communes: dict = field(default_factory=dict)
    sites: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    @classmethod
    def for_values(cls, values: list[dict], reader=None) -> "Lookups":
        """`reader`: only the former sites they may list are named (none without a reader)."""
        from sitepages.models import SitePage

        communes, sites, users = set(), set(), set()
        for row in values:
            if row.get("commune"):
                communes.add(row["commune"])
            sites.update(row.get("former_sites") or ())
            users.update(user for user, _themes in row.get("actors") or () if user)
        lookups = cls()
        if communes:
            lookups.communes = {
                commune.pk: f"{commune.name} ({commune.department_id})"
                for commune in Commune.objects.filter(pk__in=communes)
            }
        if sites and reader is not None:
            lookups.sites = dict(
                SitePage.objects.filter(pk__in=sites).visible_to(reader).values_list("pk", "title")
            )
        if users:
            lookups.users = {
                user.pk: user.get_full_name() or user.email
                for user in User.objects.filter(pk__in=users)
            }
        return lookups


def display(name: str, value, lookups: Lookups) -> str:
    """A normalised value as a reader reads it."""
    from sitepages.models import SitePage

    if _is_empty(value):
        return EMPTY
    if name == "owners":
        return "; ".join(
            f"{OwnerType(kind).label if kind in OwnerType.values else kind}"
            + (f" — {owner}" if owner else "")
            for kind, owner in value
        )
    if name == "closing_solutions":
        parts = []
        for kind, people, households in value:
            kind_label = SolutionType(kind).label if kind in SolutionType.values else kind
            parts.append(
                str(_("%(solution)s: %(people)s people, %(households)s households"))
                % {
                    "solution": kind_label,
                    "people": EMPTY if people is None else people,
                    "households": EMPTY if households is None else households,
                }
            )
        return "; ".join(parts)
    if name == "actors":
        return "; ".join(
            f"{lookups.users.get(user, EMPTY)} ("
            + ", ".join(
                str(SiteActorTheme(theme).label) if theme in SiteActorTheme.values else theme
                for theme in themes
            )
            + ")"
            for user, themes in value
        )
    if name == "commune":
        return lookups.communes.get(value, str(value))
    if name == "former_sites":
        return ", ".join(lookups.sites.get(pk) or str(_("another site")) for pk in value)
    if isinstance(value, bool):
        return str(YesNoUnknown.YES.label if value else YesNoUnknown.NO.label)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    model_field = SitePage._meta.get_field(name)
    if isinstance(value, tuple):
        choices = dict(model_field.base_field.choices or [])
        return ", ".join(str(choices.get(item, item)) for item in value)
    if model_field.choices:
        if value == "unknown":
            return str(_("Unknown"))
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


# --- Differences --------------------------------------------------------------------------------


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str


def values_of(content: dict | None, fields) -> dict:
    content = content or {}
    return {name: normalise(name, content.get(name)) for name in fields}


def diff(
    before: dict | None, after: dict, fields, lookups: Lookups | None = None, *, reader=None
) -> list[FieldChange]:
    """What changed from `before` (None: nothing yet) to `after`, restricted to `fields`, as
    `reader` may read it (former sites they may not list are not named)."""
    old, new = values_of(before, fields), values_of(after, fields)
    names = [
        name
        for name in fields
        if old[name] != new[name] and not (_is_empty(old[name]) and _is_empty(new[name]))
    ]
    if lookups is None:
        lookups = Lookups.for_values([old, new], reader)
    return [
        FieldChange(
            name=name,
            label=label(name),
            before=display(name, old[name], lookups),
            after=display(name, new[name], lookups),
        )
        for name in names
    ]


@dataclass
class RevisionDiff:
    revision: Model
    changes: list[FieldChange]
    is_first: bool = False

    @property
    def author(self):
        return self.revision.user

    @property
    def created_at(self):
        return self.revision.created_at


def revisions_of(site):
    from wagtail.models import Revision

    return (
        Revision.page_revisions.filter(object_id=str(site.pk))
        .select_related("user")
        .order_by("-created_at", "-pk")
    )


def revision_diffs(site, user, revisions) -> list[RevisionDiff]:
    """The diffs of `revisions` (newest first, e.g. one page of `revisions_of`), each against the
    revision before it, keeping only what `user` may see. Costs three queries at most, whatever
    the number of revisions or changes."""
    revisions = list(revisions)
    if not revisions:
        return []
    fields = visible_fields(user, site)
    oldest = revisions[-1]
    previous = (
        revisions_of(site)
        .filter(created_at__lte=oldest.created_at)
        .exclude(pk=oldest.pk)
        .exclude(created_at=oldest.created_at, pk__gt=oldest.pk)
        .select_related(None)
        .only("content", "created_at")
        .first()
    )
    contents = [revision.content for revision in revisions] + [
        previous.content if previous is not None else None
    ]
    normalised = [
        values_of(content, fields) if content is not None else None for content in contents
    ]
    lookups = Lookups.for_values([values for values in normalised if values is not None], user)
    diffs = []
    for index, revision in enumerate(revisions):
        before = contents[index + 1]
        diffs.append(
            RevisionDiff(
                revision=revision,
                changes=diff(before, contents[index], fields, lookups),
                is_first=before is None,
            )
        )
    return diffs
