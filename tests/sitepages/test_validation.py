"""One test per consistency rule of a site: the error lands on the field to fix."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sitepages.enums import (
    ClosingCause,
    PoliceAssistanceStatus,
    SocialDiagnosisStatus,
    SolutionType,
    ToiletType,
    WaterAccessType,
)
from sitepages.models import ClosingSolution, SitePage
from tests.sitepages.factories import SitePageFactory

# Building a page reads its content type: a database access once a transactional test has
# flushed the content types cache.
pytestmark = pytest.mark.django_db


def days(n):
    """`n` days from the day the test runs (computed then, never at collection)."""
    return timezone.localdate() + datetime.timedelta(days=n)


def make_site(**fields):
    """An unsaved, valid site: `clean()` needs no database."""
    values = {"title": "Site", "declared_at": days(-30), "people": 40, "households": 10}
    return SitePage(**{**values, **fields})


def errors_of(site):
    with pytest.raises(ValidationError) as caught:
        site.clean()
    return caught.value.message_dict


def test_a_consistent_site_is_valid():
    site = make_site(
        installed_at=days(-60),
        updated_at=days(0),
        minors=20,
        minors_0_3=5,
        minors_3_6=5,
        minor_girls=10,
        women=15,
        minors_in_school=12,
        closed_at=days(-1),
        closing_cause=ClosingCause.RESORPTION,
        closed_with_solutions=True,
    )
    site.closing_solutions = [
        ClosingSolution(solution_type=SolutionType.HOUSING, people=30, households=8)
    ]
    site.clean()


def test_declared_at_cannot_be_in_the_future():
    assert "declared_at" in errors_of(make_site(declared_at=days(1)))


def test_installed_at_cannot_be_after_declared_at():
    assert "installed_at" in errors_of(make_site(installed_at=days(-29)))


def test_installed_at_may_equal_declared_at():
    make_site(installed_at=days(-30)).clean()


def test_updated_at_cannot_be_in_the_future():
    assert "updated_at" in errors_of(make_site(updated_at=days(1)))


@pytest.mark.django_db
def test_updated_at_may_be_back_dated_but_not_before_the_previous_update():
    site = SitePageFactory(updated_at=days(-5))
    site.updated_at = days(-3)
    site.save_revision()  # a draft: the live row still says days(-5)
    site.updated_at = days(-4)
    assert "updated_at" in errors_of(site)
    site.updated_at = days(-3)
    site.clean()


@pytest.mark.django_db
def test_updated_at_checked_against_the_live_row():
    site = SitePageFactory(updated_at=days(-5))
    site.updated_at = days(-6)
    assert "updated_at" in errors_of(site)


def test_last_visit_cannot_be_in_the_future():
    assert "last_visited_at" in errors_of(make_site(last_visited_at=days(1)))


def test_closed_at_cannot_be_before_declared_at():
    assert "closed_at" in errors_of(make_site(closed_at=days(-31)))


def test_closed_at_cannot_be_in_the_future():
    assert "closed_at" in errors_of(make_site(closed_at=days(1)))


@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("households", {"people": 5, "households": 6}),
        ("minors", {"people": 5, "minors": 6}),
        ("women", {"people": 5, "women": 6}),
        ("minor_girls", {"minors": 5, "minor_girls": 6}),
        ("minors_in_school", {"minors": 5, "minors_in_school": 6}),
        ("minors", {"minors": 5, "minors_0_3": 2, "minors_6_12": 2, "minors_16_18": 2}),
    ],
    ids=[
        "households-above-people",
        "minors-above-people",
        "women-above-people",
        "girls-above-minors",
        "school-above-minors",
        "age-bands-above-minors",
    ],
)
def test_population_counts_are_consistent(field, fields):
    assert field in errors_of(make_site(**fields))


def test_population_counts_may_be_unknown():
    make_site(people=None, households=3, minors=2, minors_0_3=1).clean()


def test_a_planned_social_diagnosis_has_a_date_to_come():
    site = make_site(
        social_diagnosis_status=SocialDiagnosisStatus.PLANNED, social_diagnosis_at=days(-1)
    )
    assert "social_diagnosis_at" in errors_of(site)


def test_a_done_social_diagnosis_has_a_past_date():
    site = make_site(
        social_diagnosis_status=SocialDiagnosisStatus.DONE, social_diagnosis_at=days(1)
    )
    assert "social_diagnosis_at" in errors_of(site)


def test_other_water_access_needs_details():
    assert "water_access_details" in errors_of(make_site(water_access_type=WaterAccessType.OTHER))


def test_police_assistance_cannot_be_granted_before_requested():
    site = make_site(
        police_assistance=PoliceAssistanceStatus.GRANTED,
        police_requested_at=days(-5),
        police_granted_at=days(-6),
    )
    assert "police_granted_at" in errors_of(site)


def test_closing_cause_other_needs_context():
    site = make_site(closed_at=days(-1), closing_cause=ClosingCause.OTHER)
    assert "closing_context" in errors_of(site)


def test_solutions_only_for_a_site_closed_with_solutions():
    site = make_site(closed_at=days(-1), closed_with_solutions=False)
    site.closing_solutions = [ClosingSolution(solution_type=SolutionType.HOUSING, people=3)]
    assert "closed_with_solutions" in errors_of(site)


@pytest.mark.parametrize("field", ["people", "households"])
def test_solutions_cannot_concern_more_than_the_population(field):
    site = make_site(closed_at=days(-1), closed_with_solutions=True)
    site.closing_solutions = [
        ClosingSolution(solution_type=SolutionType.HOUSING, **{field: 30}),
        ClosingSolution(solution_type=SolutionType.EMERGENCY_SHELTER, **{field: 11}),
    ]
    site.people, site.households = 40, 40  # the solutions concern 41
    assert "closed_with_solutions" in errors_of(site)


def test_a_solution_has_no_more_households_than_people():
    solution = ClosingSolution(solution_type=SolutionType.HOUSING, people=2, households=3)
    with pytest.raises(ValidationError) as caught:
        solution.clean()
    assert "households" in caught.value.message_dict


# --- Conditional answers are emptied when their parent answer makes them irrelevant ----------


def test_no_water_details_when_access_is_unknown():
    site = make_site(
        water_access_type=WaterAccessType.UNKNOWN,
        water_access_details="puits",
        water_is_continuous=True,
        water_on_site=False,
        water_is_close=True,
    )
    site.clean()
    assert site.water_access_details == ""
    assert site.water_is_continuous is None and site.water_on_site is None
    assert site.water_is_close is None


def test_water_details_only_for_other_access():
    site = make_site(water_access_type=WaterAccessType.TANK, water_access_details="citerne")
    site.clean()
    assert site.water_access_details == ""


def test_water_closeness_only_asked_when_not_on_site():
    site = make_site(
        water_access_type=WaterAccessType.NETWORK_TAP, water_on_site=True, water_is_close=False
    )
    site.clean()
    assert site.water_is_close is None


def test_toilet_questions_only_with_working_toilets():
    site = make_site(working_toilets=False, toilet_types=[ToiletType.DRY], toilets_inside=True)
    site.clean()
    assert site.toilet_types == [] and site.toilets_inside is None


def test_electricity_questions_only_with_access():
    site = make_site(electricity_access=False, electricity_types=["grid"])
    site.clean()
    assert site.electricity_types == []


def test_waste_questions_only_with_collection():
    site = make_site(waste_collection=None, waste_collection_regular=True)
    site.clean()
    assert site.waste_collection_regular is None


def test_pest_details_only_with_pests():
    site = make_site(pests=False, pests_details="rats")
    site.clean()
    assert site.pests_details == ""


def test_justice_details_follow_their_parent_answers():
    site = make_site(
        justice_procedure=False,
        justice_decision=True,
        justice_court="TJ de Lille",
        police_assistance=PoliceAssistanceStatus.REQUESTED,
        police_requested_at=days(-3),
        police_granted_at=days(-2),
    )
    site.clean()
    assert site.justice_decision is None and site.justice_court == ""
    assert site.police_requested_at == days(-3) and site.police_granted_at is None


def test_closing_answers_only_for_a_closed_site():
    site = make_site(closing_cause=ClosingCause.OTHER, closed_with_solutions=True)
    site.clean()
    assert site.closing_cause == "" and site.closed_with_solutions is None


def test_social_diagnosis_details_only_when_planned_or_done():
    site = make_site(
        social_diagnosis_status=SocialDiagnosisStatus.NONE,
        social_diagnosis_at=days(-3),
        social_diagnosis_by="Association",
    )
    site.clean()
    assert site.social_diagnosis_at is None and site.social_diagnosis_by == ""
