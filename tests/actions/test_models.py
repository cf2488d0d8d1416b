"""Validation of an action: dates, location, operators, finances and every indicator rule, each
with its French message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from actions import indicators
from actions.enums import ActionStatus, LocationType
from actions.models import Action, ActionFinance, ActionIndicators, check_operators
from tests.actions.factories import ActionFactory
from tests.directory.factories import CommuneFactory, DepartmentFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_the_end_date_may_not_precede_the_start_date():
    action = ActionFactory.build(
        department=DepartmentFactory(),
        started_at=datetime.date(2024, 5, 1),
        ended_at=datetime.date(2024, 4, 30),
    )
    assert errors_of(action)["ended_at"] == [
        "La date de fin ne peut pas précéder la date de début."
    ]


def test_the_start_date_is_required():
    action = ActionFactory.build(department=DepartmentFactory(), started_at=None)
    assert "started_at" in errors_of(action)


def test_an_end_date_equal_to_the_start_is_accepted():
    day = datetime.date(2024, 5, 1)
    ActionFactory.build(department=DepartmentFactory(), started_at=day, ended_at=day).full_clean()


def test_at_least_one_topic():
    action = ActionFactory.build(department=DepartmentFactory(), topics=[])
    assert errors_of(action)["topics"] == ["Choisissez au moins une thématique."]


def test_an_integration_space_needs_an_address_and_a_commune_of_the_department():
    department = DepartmentFactory()
    action = ActionFactory.build(
        department=department, location_type=LocationType.INTEGRATION_SPACE, location_other=""
    )
    errors = errors_of(action)
    assert errors["location_address"] == ["Indiquez l’adresse de l’espace d’insertion."]
    assert errors["location_commune"] == ["Indiquez la commune de l’espace d’insertion."]
    action.location_address = "1 rue de la Paix"
    action.location_commune = CommuneFactory()  # another department
    assert errors_of(action)["location_commune"] == [
        "La commune doit se trouver dans le département de l’action."
    ]
    action.location_commune = CommuneFactory(department=department)
    action.full_clean()


def test_another_location_must_be_described():
    action = ActionFactory.build(
        department=DepartmentFactory(), location_type=LocationType.OTHER, location_other=" "
    )
    assert errors_of(action)["location_other"] == ["Précisez où se déroule l’action."]


def test_the_database_refuses_an_end_before_the_start():
    from django.db import IntegrityError, transaction

    action = ActionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(ended_at=datetime.date(2000, 1, 1))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], ["Choisissez au moins un opérateur."]),
        ([(0, False)], []),
        ([(0, True)], []),
        ([(0, True), (1, False)], []),
        ([(0, False), (1, False)], ["Choisissez exactement un opérateur principal."]),
        ([(0, True), (1, True)], ["Choisissez exactement un opérateur principal."]),
        ([(0, True), (0, False)], ["Une structure ne peut être opératrice qu’une fois."]),
    ],
)
def test_operator_rules(rows, expected):
    organizations = [OrganizationFactory(), OrganizationFactory()]
    assert check_operators([(organizations[i], p) for i, p in rows]) == expected


def test_status_is_derived_from_the_dates():
    today = datetime.date(2025, 6, 15)
    action = Action(started_at=datetime.date(2025, 7, 1))
    assert action.status_on(today) == ActionStatus.TO_START
    action.started_at = datetime.date(2025, 1, 1)
    assert action.status_on(today) == ActionStatus.ONGOING
    action.ended_at = datetime.date(2025, 6, 15)
    assert action.status_on(today) == ActionStatus.ONGOING
    action.ended_at = datetime.date(2025, 6, 14)
    assert action.status_on(today) == ActionStatus.ENDED


def test_status_filter_matches_the_python_rule():
    from django.utils import timezone

    today = timezone.localdate()
    actions = [
        ActionFactory(started_at=today + datetime.timedelta(days=3)),
        ActionFactory(started_at=today - datetime.timedelta(days=3)),
        ActionFactory(
            started_at=today - datetime.timedelta(days=30),
            ended_at=today - datetime.timedelta(days=1),
        ),
    ]
    for status in ActionStatus.values:
        expected = {action.pk for action in actions if action.status == status}
        assert set(Action.objects.with_status(status).values_list("pk", flat=True)) == expected


# --- Finances -----------------------------------------------------------------------------------


def test_a_funding_year_must_be_a_year_of_the_action():
    action = ActionFactory(
        started_at=datetime.date(2023, 1, 1), ended_at=datetime.date(2024, 12, 31)
    )
    row = ActionFinance(action=action, year=2022, finance_type="state", planned_amount=10)
    assert errors_of(row)["year"] == ["2022 n’est pas une année de l’action (2023 à 2024)."]
    row.year = 2024
    row.full_clean()


def test_a_funding_needs_an_amount():
    action = ActionFactory(started_at=datetime.date(2023, 1, 1))
    row = ActionFinance(action=action, year=2023, finance_type="state")
    assert errors_of(row)["__all__"] == ["Indiquez un montant prévu ou dépensé."]


# --- Indicators ---------------------------------------------------------------------------------

#: rule field, values breaking only that rule, the French message (year 2024)
INDICATOR_CASES = [
    (
        "women",
        {"people": 5, "women": 6},
        "2024 : il ne peut y avoir plus de femmes que de personnes.",
    ),
    (
        "minors",
        {"people": 5, "minors": 6},
        "2024 : il ne peut y avoir plus de mineurs que de personnes.",
    ),
    (
        "households",
        {"people": 5, "households": 6},
        "2024 : il ne peut y avoir plus de ménages que de personnes.",
    ),
    (
        "health_coverage",
        {"people": 5, "health_coverage": 6},
        "2024 : il ne peut y avoir plus de personnes avec une couverture santé ouverte "
        "que de personnes.",
    ),
    (
        "health_followed",
        {"people": 5, "health_followed": 6},
        "2024 : il ne peut y avoir plus de personnes suivies pour leur santé que de personnes.",
    ),
    (
        "employed",
        {"people": 5, "employed": 6},
        "2024 : il ne peut y avoir plus de personnes en emploi que de personnes.",
    ),
    (
        "in_training",
        {"people": 5, "in_training": 6},
        "2024 : il ne peut y avoir plus de personnes en formation que de personnes.",
    ),
    (
        "sheltered_people",
        {"people": 5, "sheltered_people": 6},
        "2024 : il ne peut y avoir plus de personnes hébergées que de personnes.",
    ),
    (
        "sheltered_households",
        {"households": 2, "sheltered_households": 3},
        "2024 : il ne peut y avoir plus de ménages hébergés que de ménages.",
    ),
    (
        "sheltered_households",
        {"sheltered_people": 2, "sheltered_households": 3},
        "2024 : il ne peut y avoir plus de ménages hébergés que de personnes hébergées.",
    ),
    (
        "housed_people",
        {"people": 5, "housed_people": 6},
        "2024 : il ne peut y avoir plus de personnes logées que de personnes.",
    ),
    (
        "housed_households",
        {"households": 2, "housed_households": 3},
        "2024 : il ne peut y avoir plus de ménages logés que de ménages.",
    ),
    (
        "housed_households",
        {"housed_people": 2, "housed_households": 3},
        "2024 : il ne peut y avoir plus de ménages logés que de personnes logées.",
    ),
    (
        "school_nursery",
        {
            "minors": 3,
            "school_nursery": 1,
            "school_primary": 1,
            "school_secondary": 1,
            "school_high": 1,
        },
        "2024 : il ne peut y avoir plus de mineurs scolarisés que de mineurs.",
    ),
    (
        "out_of_school",
        {"minors": 3, "out_of_school": 4},
        "2024 : il ne peut y avoir plus de mineurs non scolarisés que de mineurs.",
    ),
    (
        "out_of_school",
        {"minors": 3, "school_primary": 2, "out_of_school": 2},
        "2024 : les mineurs scolarisés et non scolarisés ne peuvent pas dépasser ensemble "
        "le nombre de mineurs.",
    ),
]


def test_every_rule_has_a_case():
    assert len(INDICATOR_CASES) == len(indicators.RULES)
    assert {message for *_rest, message in INDICATOR_CASES} == {
        str(rule[3] % {"year": 2024}) for rule in indicators.RULES
    }


@pytest.mark.parametrize(("field", "values", "message"), INDICATOR_CASES)
def test_each_indicator_rule_has_its_french_message(field, values, message):
    action = ActionFactory(started_at=datetime.date(2024, 1, 1))
    row = ActionIndicators(action=action, year=2024, **values)
    errors = errors_of(row)
    assert message in errors[field]
    assert sum(len(messages) for messages in errors.values()) == 1


def test_consistent_indicators_are_accepted():
    action = ActionFactory(started_at=datetime.date(2024, 1, 1))
    ActionIndicators(
        action=action,
        year=2024,
        people=10,
        households=3,
        women=5,
        minors=4,
        housed_people=4,
        housed_households=1,
        school_primary=2,
        school_high=1,
        out_of_school=1,
    ).full_clean()


def test_the_message_names_the_year():
    action = ActionFactory(started_at=datetime.date(2023, 1, 1))
    row = ActionIndicators(action=action, year=2023, people=1, women=2)
    assert errors_of(row)["women"] == ["2023 : il ne peut y avoir plus de femmes que de personnes."]
