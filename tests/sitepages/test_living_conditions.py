"""Status rules of the six living-condition themes (see sitepages.living_conditions)."""

import pytest

from sitepages.enums import ElectricityType, LivingConditionStatus, WaterAccessType
from sitepages.models import SitePage

# Building a page reads its content type: a database access once a transactional test has
# flushed the content types cache.
pytestmark = pytest.mark.django_db

GOOD = LivingConditionStatus.GOOD
TO_IMPROVE = LivingConditionStatus.TO_IMPROVE
BAD = LivingConditionStatus.BAD
UNKNOWN = LivingConditionStatus.UNKNOWN

GOOD_WATER = {
    "water_access_type": WaterAccessType.NETWORK_TAP,
    "water_is_continuous": True,
    "water_on_site": True,
    "water_equal_access": True,
    "water_stagnant": False,
}
GOOD_SANITATION = {
    "working_toilets": True,
    "open_air_defecation": False,
    "toilets_inside": True,
    "toilets_lit_lockable": True,
    "hand_washing": True,
}
GOOD_ELECTRICITY = {
    "electricity_access": True,
    "electricity_types": [ElectricityType.GRID],
    "electricity_equal_access": True,
}
GOOD_WASTE = {
    "waste_collection": True,
    "waste_collection_close": True,
    "waste_collection_safe": True,
    "waste_collection_regular": True,
    "waste_piling": False,
    "bulky_waste_piling": False,
}


def status(theme, **fields):
    return SitePage(**fields).living_conditions[theme]


def test_a_site_with_no_answers_is_unknown_everywhere():
    assert set(SitePage().living_conditions.values()) == {UNKNOWN}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, UNKNOWN),
        ({"water_access_type": WaterAccessType.UNKNOWN}, UNKNOWN),
        (GOOD_WATER, GOOD),
        ({**GOOD_WATER, "water_is_continuous": False}, TO_IMPROVE),
        ({**GOOD_WATER, "water_equal_access": None}, TO_IMPROVE),
        ({**GOOD_WATER, "water_stagnant": True}, TO_IMPROVE),
        ({**GOOD_WATER, "water_access_type": WaterAccessType.PUBLIC_FOUNTAIN}, TO_IMPROVE),
        ({**GOOD_WATER, "water_on_site": False, "water_is_close": True}, TO_IMPROVE),
        ({**GOOD_WATER, "water_on_site": False, "water_is_close": False}, BAD),
        ({"water_access_type": WaterAccessType.FIRE_HYDRANT}, BAD),
        ({"water_access_type": WaterAccessType.BOTTLES}, BAD),
        ({"water_access_type": WaterAccessType.OTHER, "water_access_details": "puits"}, BAD),
    ],
)
def test_water_status(fields, expected):
    assert status("water", **fields) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, UNKNOWN),
        ({"open_air_defecation": True}, BAD),
        ({"working_toilets": False}, BAD),
        (GOOD_SANITATION, GOOD),
        ({**GOOD_SANITATION, "open_air_defecation": True}, TO_IMPROVE),
        ({**GOOD_SANITATION, "toilets_lit_lockable": False}, TO_IMPROVE),
        ({**GOOD_SANITATION, "hand_washing": None}, TO_IMPROVE),
    ],
)
def test_sanitation_status(fields, expected):
    assert status("sanitation", **fields) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, UNKNOWN),
        ({"electricity_access": False}, BAD),
        (GOOD_ELECTRICITY, GOOD),
        ({**GOOD_ELECTRICITY, "electricity_types": [ElectricityType.BUILDING]}, GOOD),
        ({**GOOD_ELECTRICITY, "electricity_types": [ElectricityType.GENERATOR]}, TO_IMPROVE),
        ({**GOOD_ELECTRICITY, "electricity_equal_access": False}, TO_IMPROVE),
    ],
)
def test_electricity_status(fields, expected):
    assert status("electricity", **fields) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, UNKNOWN),
        ({"waste_collection": False}, BAD),
        (GOOD_WASTE, GOOD),
        ({**GOOD_WASTE, "waste_collection_regular": False}, TO_IMPROVE),
        ({**GOOD_WASTE, "bulky_waste_piling": True}, TO_IMPROVE),
    ],
)
def test_waste_status(fields, expected):
    assert status("waste", **fields) == expected


@pytest.mark.parametrize(("answer", "expected"), [(None, UNKNOWN), (True, BAD), (False, GOOD)])
def test_pests_status(answer, expected):
    assert status("pests", pests=answer) == expected


@pytest.mark.parametrize(("answer", "expected"), [(None, UNKNOWN), (True, GOOD), (False, BAD)])
def test_fire_prevention_status(answer, expected):
    assert status("fire_prevention", fire_prevention_diagnosis=answer) == expected
