"""Organisation administration: each operation writes and records an audit entry (Wagtail's log).

The caller checks the permissions (directory.perms.can_manage_organization and friends); these
functions keep the data consistent and the history complete. Keyword-only arguments.

Deactivating an organisation keeps its members (their accounts and their membership do not
change); the organisation leaves the directory for non-administrators and the list offered in the
access request form, and nobody can join it any more until it is reactivated.
"""

import hashlib
import json

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from directory.enums import TerritoryLevel
from directory.models import Commune, InterventionArea, Organization, User, normalize_name

#: The audit actions of this module (their labels are registered in directory/wagtail_hooks.py).
ACTION_CREATE = "directory.organization.create"
ACTION_UPDATE = "directory.organization.update"
ACTION_DEACTIVATE = "directory.organization.deactivate"
ACTION_REACTIVATE = "directory.organization.reactivate"
ACTIONS = (ACTION_CREATE, ACTION_UPDATE, ACTION_DEACTIVATE, ACTION_REACTIVATE)

#: The fields an administrator edits (the intervention areas apart).
FIELDS = ("name", "abbreviation", "category", "type", "is_state_funded", "state_funded_year")

NATION_KEY = "nation"


class AlreadyDone(Exception):
    """Another administrator changed the organisation meanwhile: nothing written, `message`
    says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Conflict(Exception):
    """Another administrator saved the organisation since the form was opened: nothing
    written; `version` is the organisation's current version (to base the form on)."""

    def __init__(self, message, *, version):
        super().__init__(message)
        self.message = message
        self.version = version


def _lock_status(organization: Organization) -> None:
    """Lock the organisation's row, then read its state again into `organization` (the view
    read it before the lock)."""
    list(
        Organization.objects.select_for_update()
        .filter(pk=organization.pk)
        .values_list("pk", flat=True)
    )
    organization.refresh_from_db(fields=["is_active"])


def _area_key(territory) -> tuple:
    if territory is None:
        return (TerritoryLevel.NATION.value, None)
    return (territory.level.value, territory.pk)


def describe_area(territory, *, is_main: bool) -> dict:
    level, code = _area_key(territory)
    return {
        "level": level,
        "code": code,
        "name": str(territory) if territory is not None else str(TerritoryLevel.NATION.label),
        "main": is_main,
    }


def department_keys(territories) -> set[str]:
    """The departments (codes) that intervention areas on `territories` touch; "nation" for a
    national area. A region touches all its departments, an EPCI those of its communes."""
    keys = set()
    epcis = []
    for territory in territories:
        if territory is None:
            keys.add(NATION_KEY)
        elif territory.level == TerritoryLevel.REGION:
            keys |= {department.pk for department in territory.departments.all()}
        elif territory.level == TerritoryLevel.DEPARTMENT:
            keys.add(territory.pk)
        elif territory.level == TerritoryLevel.EPCI:
            epcis.append(territory.pk)
        else:
            keys.add(territory.department_id)
    if epcis:
        keys |= set(
            Commune.objects.filter(epci_id__in=epcis)
            .values_list("department_id", flat=True)
            .distinct()
        )
    return keys


def namesakes(*, name: str, territories, exclude_pk=None) -> list[tuple[Organization, set]]:
    """Other organisations with the same name (ignoring case, accents and punctuation) whose
    areas touch one of the departments of `territories`, with the departments in common."""
    normalized = normalize_name(name)
    if not normalized:
        return []
    candidates = [
        organization
        for organization in Organization.objects.filter(search_name__startswith=normalized)
        .exclude(pk=exclude_pk)
        .prefetch_related("intervention_areas__region", "intervention_areas__department")
        .prefetch_related("intervention_areas__epci", "intervention_areas__commune")
        if normalize_name(organization.name) == normalized
    ]
    if not candidates:
        return []
    wanted = department_keys(territories)
    clashes = []
    for organization in candidates:
        theirs = department_keys(area.territory for area in organization.intervention_areas.all())
        common = wanted & theirs
        if common:
            clashes.append((organization, common))
    return clashes


def _replace_areas(organization, territories) -> None:
    """Make the organisation's areas exactly `territories`, the first one being the main area."""
    organization.intervention_areas.all().delete()
    seen = set()
    for index, territory in enumerate(territories):
        key = _area_key(territory)
        if key in seen:
            continue
        seen.add(key)
        area = InterventionArea.for_territory(
            territory, organization=organization, is_main=index == 0
        )
        area.full_clean()
        area.save()


def _current_areas(organization) -> list[dict]:
    return [
        describe_area(area.territory, is_main=area.is_main)
        for area in organization.intervention_areas.select_related(
            "region", "department", "epci", "commune"
        )
    ]


def _value(organization, field):
    value = getattr(organization, field)
    if field == "type":
        return value.name if value is not None else None
    return value


def _unique_territories(territories) -> list:
    result, seen = [], set()
    for territory in territories:
        key = _area_key(territory)
        if key not in seen:
            seen.add(key)
            result.append(territory)
    return result


@transaction.atomic
def create_organization(*, by: User, data: dict, territories: list) -> Organization:
    """Create an (active) organisation; `territories` lists its areas, the main one first
    (None = the nation)."""
    territories = _unique_territories(territories)
    organization = Organization(**{field: data[field] for field in FIELDS})
    if not organization.is_state_funded:
        organization.state_funded_year = None
    organization.full_clean(exclude=["search_name"])
    organization.save()
    _replace_areas(organization, territories)
    log(
        instance=organization,
        action=ACTION_CREATE,
        user=by,
        data={
            "fields": {field: _value(organization, field) for field in FIELDS},
            "areas": [
                describe_area(territory, is_main=index == 0)
                for index, territory in enumerate(territories)
            ],
        },
    )
    return organization


def version(organization: Organization) -> str:
    """A fingerprint of what an administrator edits (the fields and the areas): the edit form
    carries the one it was opened with, to tell whether someone saved meanwhile."""
    state = {
        "fields": {field: _value(organization, field) for field in FIELDS},
        "areas": sorted(
            [area["level"], area["code"] or "", area["main"]]
            for area in _current_areas(organization)
        ),
    }
    encoded = json.dumps(state, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:20]


@transaction.atomic
def update_organization(
    *,
    organization: Organization,
    by: User,
    data: dict,
    territories: list,
    base_version: str | None = None,
) -> bool:
    """Apply the changes; False (and nothing written) when nothing changed. `base_version`: the
    `version` the form was opened with; when another administrator saved since, a change is
    refused (Conflict) instead of silently putting back what they changed."""
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    current_version = version(locked) if base_version else None
    territories = _unique_territories(territories)
    data = dict(data)
    if not data.get("is_state_funded"):
        data["state_funded_year"] = None
    changes = {}
    for field in FIELDS:
        previous = _value(locked, field)
        setattr(locked, field, data[field])
        new = _value(locked, field)
        if previous != new:
            changes[field] = [previous, new]
    previous_areas = _current_areas(locked)
    new_areas = [
        describe_area(territory, is_main=index == 0) for index, territory in enumerate(territories)
    ]
    areas_changed = sorted(
        (a["level"], a["code"] or "", a["main"]) for a in previous_areas
    ) != sorted((a["level"], a["code"] or "", a["main"]) for a in new_areas)
    if not changes and not areas_changed:
        return False
    if base_version and base_version != current_version:
        differing = [str(Organization._meta.get_field(field).verbose_name) for field in changes]
        if areas_changed:
            differing.append(str(_("intervention areas")))
        raise Conflict(
            _(
                "Another administrator saved this organisation while you were editing it. "
                "Saving your input again would change: %(fields)s. Check these fields, then "
                "save again."
            )
            % {"fields": ", ".join(differing)},
            version=current_version,
        )
    locked.full_clean(exclude=["search_name"])
    locked.save()
    if areas_changed:
        _replace_areas(locked, territories)
    entry = {"changes": changes}
    if areas_changed:
        entry["areas"] = {"previous": previous_areas, "new": new_areas}
    log(instance=locked, action=ACTION_UPDATE, user=by, data=entry)
    for field in (*FIELDS, "search_name"):
        setattr(organization, field, getattr(locked, field))
    return True


@transaction.atomic
def deactivate_organization(*, organization: Organization, by: User, reason: str) -> None:
    """Hide the organisation from the directory and from the access requests; its members stay
    members and keep their accounts. AlreadyDone when it already is inactive."""
    _lock_status(organization)
    if not organization.is_active:
        raise AlreadyDone(_("This organisation is already inactive."))
    members = organization.users.filter(is_active=True).count()
    organization.is_active = False
    organization.save(update_fields=["is_active"])
    log(
        instance=organization,
        action=ACTION_DEACTIVATE,
        user=by,
        data={"reason": reason, "active_members": members},
    )


@transaction.atomic
def reactivate_organization(*, organization: Organization, by: User, reason: str = "") -> None:
    """AlreadyDone when it is active (another administrator was quicker)."""
    _lock_status(organization)
    if organization.is_active:
        raise AlreadyDone(_("This organisation is active."))
    organization.is_active = True
    organization.save(update_fields=["is_active"])
    log(instance=organization, action=ACTION_REACTIVATE, user=by, data={"reason": reason})
