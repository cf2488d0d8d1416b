"""Status of each living-condition theme of a site: good, to improve, bad or unknown.

The rules, theme by theme (an answer is True, False or None = unknown):

Water
  - unknown: the access type is unknown;
  - bad: no safe source (fire hydrant, bought bottles or "other"), or the water point is neither
    on the site nor close to it (on site = no and close = no);
  - good: a tap on the network, continuous, on the site, with equal access for every
    inhabitant and no stagnant water;
  - to improve: everything else (a public fountain or a tank, a discontinuous or unequal access,
    stagnant water, or answers still unknown).
Sanitation
  - unknown: working toilets unknown, and open-air defecation not reported;
  - bad: no working toilets, or open-air defecation reported while toilets are unknown;
  - good: working toilets inside the site, lit and lockable, with hand washing, and no open-air
    defecation;
  - to improve: working toilets missing one of these.
Electricity
  - unknown: access unknown; bad: no access;
  - good: access through the grid or the building's installation (not a generator only), equal
    for every inhabitant;
  - to improve: any other access (generator only, unequal or unknown equality).
Waste
  - unknown: collection unknown; bad: no collection;
  - good: collected regularly, from a close and safely reachable point, with neither household
    nor bulky waste piling up on the site;
  - to improve: collected, but missing one of these.
Pests
  - unknown when not answered; bad when there are pests; good when there are none.
Fire prevention
  - unknown when not answered; good when the diagnosis was done; bad when it was not.
"""

from sitepages.enums import (
    ElectricityType,
    LivingConditionStatus,
    LivingConditionTheme,
    WaterAccessType,
)

GOOD = LivingConditionStatus.GOOD
TO_IMPROVE = LivingConditionStatus.TO_IMPROVE
BAD = LivingConditionStatus.BAD
UNKNOWN = LivingConditionStatus.UNKNOWN

UNSAFE_WATER_SOURCES = {
    WaterAccessType.FIRE_HYDRANT,
    WaterAccessType.BOTTLES,
    WaterAccessType.OTHER,
}


def water_status(site) -> LivingConditionStatus:
    if site.water_access_type in ("", WaterAccessType.UNKNOWN):
        return UNKNOWN
    if site.water_access_type in UNSAFE_WATER_SOURCES:
        return BAD
    if site.water_on_site is False and site.water_is_close is False:
        return BAD
    if (
        site.water_access_type == WaterAccessType.NETWORK_TAP
        and site.water_is_continuous is True
        and site.water_on_site is True
        and site.water_equal_access is True
        and site.water_stagnant is False
    ):
        return GOOD
    return TO_IMPROVE


def sanitation_status(site) -> LivingConditionStatus:
    if site.working_toilets is None:
        return BAD if site.open_air_defecation is True else UNKNOWN
    if site.working_toilets is False:
        return BAD
    if (
        site.open_air_defecation is False
        and site.toilets_inside is True
        and site.toilets_lit_lockable is True
        and site.hand_washing is True
    ):
        return GOOD
    return TO_IMPROVE


def electricity_status(site) -> LivingConditionStatus:
    if site.electricity_access is None:
        return UNKNOWN
    if site.electricity_access is False:
        return BAD
    stable = {ElectricityType.GRID, ElectricityType.BUILDING} & set(site.electricity_types or [])
    if stable and site.electricity_equal_access is True:
        return GOOD
    return TO_IMPROVE


def waste_status(site) -> LivingConditionStatus:
    if site.waste_collection is None:
        return UNKNOWN
    if site.waste_collection is False:
        return BAD
    if (
        site.waste_collection_regular is True
        and site.waste_collection_close is True
        and site.waste_collection_safe is True
        and site.waste_piling is False
        and site.bulky_waste_piling is False
    ):
        return GOOD
    return TO_IMPROVE


def pests_status(site) -> LivingConditionStatus:
    return {None: UNKNOWN, True: BAD, False: GOOD}[site.pests]


def fire_prevention_status(site) -> LivingConditionStatus:
    return {None: UNKNOWN, True: GOOD, False: BAD}[site.fire_prevention_diagnosis]


RULES = {
    LivingConditionTheme.WATER: water_status,
    LivingConditionTheme.SANITATION: sanitation_status,
    LivingConditionTheme.ELECTRICITY: electricity_status,
    LivingConditionTheme.WASTE: waste_status,
    LivingConditionTheme.PESTS: pests_status,
    LivingConditionTheme.FIRE_PREVENTION: fire_prevention_status,
}


def statuses(site) -> dict[str, LivingConditionStatus]:
    """Theme → status, in the themes' order."""
    return {theme: rule(site) for theme, rule in RULES.items()}
