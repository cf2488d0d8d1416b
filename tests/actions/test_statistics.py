"""The public statistics add the people housed and minors in school through the actions, per
year, under the same statistical secrecy."""

import datetime

import pytest

from actions.models import ActionIndicators
from cms import statistics
from tests.actions.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_people_housed_and_minors_in_school_through_actions_per_year():
    today = datetime.date(2025, 6, 1)
    first = ActionFactory(started_at=datetime.date(2024, 1, 1))
    second = ActionFactory(started_at=datetime.date(2024, 1, 1))
    ActionIndicators.objects.create(
        action=first, year=2024, people=30, minors=10, housed_people=8, school_primary=3
    )
    ActionIndicators.objects.create(
        action=second, year=2024, people=20, minors=8, housed_people=6, school_high=2
    )
    ActionIndicators.objects.create(action=first, year=2025, people=30, housed_people=3)
    years = {row["year"]: row for row in statistics.compute(today)["years"]}
    assert years[2024]["housed_through_actions"] == 14
    assert years[2024]["in_school_through_actions"] == "< 10"  # 5: statistical secrecy
    assert years[2025]["housed_through_actions"] == "< 10"
    assert years[2025]["in_school_through_actions"] == 0
    page = statistics.PublicStatistics(statistics.compute(today))
    assert page.tables()["actions"]["rows"][0]["header"] == 2024
    assert ["annee", 2024, "housed_through_actions", 14] in page.csv_rows()
