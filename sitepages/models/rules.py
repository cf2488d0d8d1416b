"""The SQL forms of the site rules: what `sitepages.living_conditions` and
`sitepages.completion` compute in Python for one site, as expressions the database evaluates for
many (the list's filters, the dashboard, the export, the home page). `SitePageQuerySet` offers
them as methods; tests/sitepages/test_list_filters.py checks that both forms give the same
answer, site by site."""

import datetime

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from directory import perms
from directory.models import Commune, Department, Epci, Region
from directory.permission_matrix import Feature, Scope
from sitepages.enums import (
    ElectricityType,
    LivingConditionStatus,
    LivingConditionTheme,
    OwnerType,
    WaterAccessType,
)
from sitepages.models.children import SiteOwner

#: A site not updated for this many days is stale ("not updated for 6 months").
STALE_AFTER_DAYS = 183


def stale_limit(days: int = STALE_AFTER_DAYS) -> datetime.date:
    """A site whose last update is before this day is stale."""
    return timezone.localdate() - datetime.timedelta(days=days)


GOOD = LivingConditionStatus.GOOD.value
TO_IMPROVE = LivingConditionStatus.TO_IMPROVE.value
BAD = LivingConditionStatus.BAD.value
UNKNOWN = LivingConditionStatus.UNKNOWN.value


# --- Living conditions --------------------------------------------------------


def _status(*whens, default=TO_IMPROVE):
    """A CASE evaluated in order, like the Python rules (a NULL condition never matches)."""
    return Case(
        *(When(condition, then=Value(status)) for condition, status in whens),
        default=Value(default),
        output_field=models.CharField(),
    )


def _water_status():
    unknown = Q(water_access_type__in=["", WaterAccessType.UNKNOWN])
    unsafe = Q(
        water_access_type__in=[
            WaterAccessType.FIRE_HYDRANT,
            WaterAccessType.BOTTLES,
            WaterAccessType.OTHER,
        ]
    )
    far = Q(water_on_site=False, water_is_close=False)
    good = Q(
        water_access_type=WaterAccessType.NETWORK_TAP,
        water_is_continuous=True,
        water_on_site=True,
        water_equal_access=True,
        water_stagnant=False,
    )
    return _status((unknown, UNKNOWN), (unsafe | far, BAD), (good, GOOD))


def _sanitation_status():
    good = Q(
        open_air_defecation=False,
        toilets_inside=True,
        toilets_lit_lockable=True,
        hand_washing=True,
    )
    return _status(
        (Q(working_toilets__isnull=True, open_air_defecation=True), BAD),
        (Q(working_toilets__isnull=True), UNKNOWN),
        (Q(working_toilets=False), BAD),
        (good, GOOD),
    )


def _electricity_status():
    stable = Q(electricity_types__overlap=[ElectricityType.GRID, ElectricityType.BUILDING])
    return _status(
        (Q(electricity_access__isnull=True), UNKNOWN),
        (Q(electricity_access=False), BAD),
        (stable & Q(electricity_equal_access=True), GOOD),
    )


def _waste_status():
    good = Q(
        waste_collection_regular=True,
        waste_collection_close=True,
        waste_collection_safe=True,
        waste_piling=False,
        bulky_waste_piling=False,
    )
    return _status(
        (Q(waste_collection__isnull=True), UNKNOWN),
        (Q(waste_collection=False), BAD),
        (good, GOOD),
    )


def _pests_status():
    return _status((Q(pests__isnull=True), UNKNOWN), (Q(pests=True), BAD), default=GOOD)


def _fire_status():
    return _status(
        (Q(fire_prevention_diagnosis__isnull=True), UNKNOWN),
        (Q(fire_prevention_diagnosis=True), GOOD),
        default=BAD,
    )


STATUS_EXPRESSIONS = {
    LivingConditionTheme.WATER: _water_status,
    LivingConditionTheme.SANITATION: _sanitation_status,
    LivingConditionTheme.ELECTRICITY: _electricity_status,
    LivingConditionTheme.WASTE: _waste_status,
    LivingConditionTheme.PESTS: _pests_status,
    LivingConditionTheme.FIRE_PREVENTION: _fire_status,
}


def condition_status(theme) -> Case:
    """The status of one living-condition theme, as an SQL expression."""
    return STATUS_EXPRESSIONS[LivingConditionTheme(theme)]()


def last_update():
    """The latest of: declared, information updated, visited with nothing changed."""
    return Greatest("declared_at", "updated_at", "last_visited_at")


def _owner_type_known() -> Exists:
    return Exists(
        SiteOwner.objects.filter(site_id=OuterRef("pk")).exclude(type__in=["", OwnerType.UNKNOWN])
    )


def complete_q(user) -> Q:
    """Sites complete for `user`: `sitepages.completion` as a filter. Where the user may not see
    owners, the owner item does not count (the same rule as `completion(include_owners=False)`).
    """
    known = (
        ~Q(address__regex=r"^\s*$")
        & ~Q(social_diagnosis_status="")
        & Q(people__isnull=False, households__isnull=False, minors__isnull=False)
        & Q(origins__len__gt=0)
        & ~Q(water_access_type__in=["", WaterAccessType.UNKNOWN])
        & Q(electricity_access__isnull=False, waste_collection__isnull=False)
    )
    scope = perms.scope_for(user, Feature.SITE_OWNERS)
    if scope == Scope.NONE:
        return known
    owners_scope = perms.scope_q(user, Feature.SITE_OWNERS, "commune")
    if scope == Scope.NATIONAL or not owners_scope:  # an empty Q: everywhere
        return known & Q(_owner_type_known())
    return known & (Q(_owner_type_known()) | ~owners_scope)


def territory_q(territory) -> Q:
    """Sites inside a region, department, EPCI or commune."""
    if isinstance(territory, Region):
        return Q(commune__department__region=territory)
    if isinstance(territory, Department):
        return Q(commune__department=territory)
    if isinstance(territory, Epci):
        return Q(commune__epci=territory)
    if isinstance(territory, Commune):
        return Q(commune=territory)
    raise TypeError(f"Not a territory: {territory!r}")
