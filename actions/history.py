"""Field-by-field differences between revisions of an action (its history).

Each `ActionRevision.content` is a snapshot (`actions.snapshots.snapshot`); consecutive snapshots
are compared field by field, values shown as a reader sees them. Finances are dropped for readers
without `action.access_finances` on the action (neither the values nor the fact that they
changed), and sites the reader may not list are not named.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from actions import indicators, perms
from actions.enums import ActionTopic, FinanceType, LocationType
from actions.models import Action, ActionIndicators
from actions.snapshots import FIELDS
from directory.models import Commune, Department, Organization, User
from sitepages.models import SitePage


@dataclass
class Change:
    name: str
    label: str
    before: str
    after: str


@dataclass
class Entry:
    revision: object
    author: object
    created_at: datetime.datetime
    is_first: bool
    changes: list[Change] = field(default_factory=list)


def _labels():
    meta = Action._meta
    labels = {name: str(meta.get_field(name).verbose_name) for name in FIELDS}
    labels["finances"] = _("Finances")
    return labels


class Names:
    """The names of the ids found in the revisions, loaded once per page."""

    def __init__(self, contents, reader):
        ids = {key: set() for key in ("department", "commune", "user", "organization", "site")}
        for content in contents:
            ids["department"].add(content.get("department"))
            ids["commune"].add(content.get("location_commune"))
            ids["user"].update(content.get("pilots") or [])
            ids["organization"].update(row[0] for row in content.get("operators") or [])
            ids["site"].update(content.get("sites") or [])
        self.departments = dict(
            Department.objects.filter(pk__in=ids["department"] - {None}).values_list("pk", "name")
        )
        self.communes = dict(
            Commune.objects.filter(pk__in=ids["commune"] - {None}).values_list("pk", "name")
        )
        self.users = {
            user.pk: user.get_full_name() or user.email
            for user in User.objects.filter(pk__in=ids["user"])
        }
        self.organizations = dict(
            Organization.objects.filter(pk__in=ids["organization"]).values_list("pk", "name")
        )
        self.sites = dict(
            SitePage.objects.visible_to(reader)
            .filter(pk__in=ids["site"])
            .values_list("pk", "title")
        )


def _date(value):
    return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT") if value else ""


def _amount(value):
    return f"{number_format(value, 2, force_grouping=True)} €" if value is not None else "—"


def display(name, value, names: Names) -> str:
    if value in (None, "", []):
        return ""
    if name == "topics":
        return ", ".join(str(ActionTopic(topic).label) for topic in value if topic in ActionTopic)
    if name in ("started_at", "ended_at"):
        return _date(value)
    if name == "department":
        return names.departments.get(value, str(value))
    if name == "location_commune":
        return names.communes.get(value, str(value))
    if name == "location_type":
        return str(LocationType(value).label) if value in LocationType else value
    if name == "pilots":
        return "\n".join(names.users.get(pk, _("Deleted user")) for pk in value)
    if name == "operators":
        return "\n".join(
            names.organizations.get(pk, "?") + (f" ({_('principal')})" if principal else "")
            for pk, principal in value
        )
    if name == "sites":
        hidden = sum(1 for pk in value if pk not in names.sites)
        lines = sorted(names.sites[pk] for pk in value if pk in names.sites)
        if hidden:
            lines.append(_("%(count)s site(s) you may not see") % {"count": hidden})
        return "\n".join(lines)
    if name == "finances":
        return "\n".join(
            f"{year} — {FinanceType(kind).label} : {_('planned')} {_amount(planned)}, "
            f"{_('spent')} {_amount(spent)}" + (f" ({comment})" if comment else "")
            for year, kind, planned, spent, comment in value
        )
    if name.startswith("indicators:"):
        return str(value)
    return str(value)


def _indicator_changes(before: dict, after: dict) -> list[Change]:
    changes = []
    labels = {
        name: str(ActionIndicators._meta.get_field(name).verbose_name) for name in indicators.FIELDS
    }
    for year in sorted(set(before) | set(after)):
        old, new = before.get(year) or {}, after.get(year) or {}
        for name in indicators.FIELDS:
            if old.get(name) != new.get(name):
                changes.append(
                    Change(
                        name=f"indicators:{year}:{name}",
                        label=f"{year} — {labels[name]}",
                        before="" if old.get(name) is None else str(old.get(name)),
                        after="" if new.get(name) is None else str(new.get(name)),
                    )
                )
    return changes


def diff(before: dict | None, after: dict, names: Names, *, show_finances: bool) -> list[Change]:
    before = before or {}
    labels = _labels()
    changes = []
    keys = [*FIELDS, "finances"] if show_finances else list(FIELDS)
    for name in keys:
        old, new = before.get(name), after.get(name)
        if old == new or (not old and not new):
            continue
        shown_old, shown_new = display(name, old, names), display(name, new, names)
        if shown_old == shown_new:
            continue  # e.g. a change among sites the reader may not see
        changes.append(Change(name=name, label=labels[name], before=shown_old, after=shown_new))
    changes.extend(
        _indicator_changes(before.get("indicators") or {}, after.get("indicators") or {})
    )
    return changes


def history(action, reader, revisions) -> list[Entry]:
    """The entries of `revisions` (newest first, a page of them) with their changes."""
    revisions = list(revisions)
    if not revisions:
        return []
    oldest = revisions[-1]
    previous = (
        action.revisions.filter(created_at__lte=oldest.created_at)
        .exclude(pk=oldest.pk)
        .filter(pk__lt=oldest.pk)
        .order_by("-created_at", "-pk")
        .first()
    )
    show_finances = perms.can_access_finances(reader, action)
    contents = [revision.content for revision in revisions]
    if previous is not None:
        contents.append(previous.content)
    names = Names(contents, reader)
    entries = []
    for index, revision in enumerate(revisions):
        older = revisions[index + 1] if index + 1 < len(revisions) else previous
        entries.append(
            Entry(
                revision=revision,
                author=revision.user,
                created_at=revision.created_at,
                is_first=older is None,
                changes=diff(
                    older.content if older else None,
                    revision.content,
                    names,
                    show_finances=show_finances,
                ),
            )
        )
    return entries


# --- Conflicts ----------------------------------------------------------------------------------


@dataclass
class Conflict:
    """Changes saved by others, in the part of the action a form edits, since the revision the
    form was based on."""

    changes: list[Change]
    revisions: list  # the newer revisions, oldest first
    latest_revision_id: int


def latest_revision_id(action) -> int | None:
    return action.revisions.order_by("-created_at", "-pk").values_list("pk", flat=True).first()


def _in_part(change: Change, part) -> bool:
    if part == "action":
        return change.name in FIELDS
    if part == "finances":
        return change.name == "finances"
    return change.name.startswith(f"indicators:{part}:")  # an indicator year


def conflict_since(action, base_revision_id, *, part, reader) -> Conflict | None:
    """What changed in `part` of the action — "action" (the action form's fields), "finances"
    or an indicator year — since revision `base_revision_id`; None when nothing did.

    Changes to the other parts are kept by the save and are no conflict. A form sent without a
    base revision is taken as based on the first one. The changes are described as `reader` may
    read them (the caller holds the action's lock: `services.lock_action`).
    """
    revisions = action.revisions.order_by("created_at", "pk").select_related("user")
    base = revisions.filter(pk=base_revision_id).first() if base_revision_id else None
    if base is None:
        base = revisions.first()
        if base is None:
            return None
    newer = list(
        revisions.filter(
            Q(created_at__gt=base.created_at) | Q(created_at=base.created_at, pk__gt=base.pk)
        )
    )
    if not newer:
        return None
    latest = newer[-1]
    names = Names([base.content, latest.content], reader)
    show_finances = perms.can_access_finances(reader, action)
    changes = [
        change
        for change in diff(base.content, latest.content, names, show_finances=show_finances)
        if _in_part(change, part)
    ]
    if not changes:
        return None
    return Conflict(changes=changes, revisions=newer, latest_revision_id=latest.pk)
