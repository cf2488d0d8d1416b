"""The filters of the site list (/sites/): each filter as a table of cases, the SQL mirrors of the
living-condition statuses and of completion, sorting, bad input. Assertions are on data (the
sites in the context), never on translated text."""

import datetime
import itertools
import random

import pytest
from django.utils import timezone

from directory.enums import Role
from sitepages import living_conditions
from sitepages.completion import completion
from sitepages.enums import (
    ElectricityType,
    FieldType,
    LivingConditionTheme,
    Origin,
    OwnerType,
    WaterAccessType,
)
from sitepages.models import SiteOwner, SitePage
from sitepages.models.rules import complete_q, condition_status
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    RegionFactory,
    UserFactory,
    give_area,
)
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Named sites in two departments of one region and one of another region."""
    region = RegionFactory()
    department = DepartmentFactory(region=region)
    commune = CommuneFactory(department=department, name="Villefranche-Marqueur")
    other_commune = CommuneFactory(department=department, name="Bourg-Marqueur")
    neighbour = CommuneFactory(department=DepartmentFactory(region=region))
    far = CommuneFactory(department=DepartmentFactory(region=RegionFactory()))
    today = timezone.localdate()

    def site(key, site_commune=commune, **fields):
        return key, bulk_sites(1, commune=site_commune, name=key, **fields)[0]

    sites = dict(
        [
            site(
                "big",
                people=120,
                field_type=FieldType.LAND,
                origins=[Origin.EUROPEAN],
                heatwave=True,
                updated_at=today,
                water_access_type=WaterAccessType.BOTTLES,  # bad
            ),
            site(
                "small",
                people=5,
                field_type=FieldType.BUILDING,
                origins=[Origin.FRENCH],
                declared_at=today - datetime.timedelta(days=400),
                water_access_type=WaterAccessType.TANK,  # to improve
            ),
            site(
                "unknown",
                site_commune=other_commune,
                address="3 chemin des Écoles, les Peupliers",
                water_access_type=WaterAccessType.NETWORK_TAP,
                water_is_continuous=True,
                water_on_site=True,
                water_equal_access=True,
                water_stagnant=False,  # good
            ),
            site("closed", people=30, closed_at=today, closed_with_solutions=False),
            site("resorbed", people=60, closed_at=today, closed_with_solutions=True),
            site("justice", people=70, justice_procedure=True, site_commune=neighbour),
            site("far", people=15, site_commune=far),
        ]
    )
    return {
        "sites": sites,
        "region": region,
        "department": department,
        "commune": commune,
        "far_department": far.department,
    }


def listed(client, params) -> set[str]:
    response = client.get("/sites/", params)
    assert response.status_code == 200
    names = {row["site"].name for row in response.context["page_obj"].rows}
    assert response.context["page_obj"].paginator.count == len(names)
    return names


@pytest.fixture
def admin_client(client):
    admin = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(admin, None)
    client.force_login(admin)
    return client


OPEN = {"big", "small", "unknown", "justice", "far"}

FILTER_CASES = {
    "default: open sites": ({}, OPEN),
    "status open": ({"statut": "ouverts"}, OPEN),
    "status closed (resorbed included)": ({"statut": "fermes"}, {"closed", "resorbed"}),
    "status resorbed": ({"statut": "resorbes"}, {"resorbed"}),
    "status all": ({"statut": "tous"}, OPEN | {"closed", "resorbed"}),
    "population unknown": ({"population": "inconnue"}, {"unknown"}),
    "population under 10": ({"population": "moins-10"}, {"small"}),
    "population 10 to 49": ({"population": "10-49"}, {"far"}),
    "population 50 to 99": ({"population": "50-99"}, {"justice"}),
    "population 100 or more": ({"population": "100-plus"}, {"big"}),
    "population two brackets": ({"population": ["moins-10", "100-plus"]}, {"small", "big"}),
    "population 50-99 all statuses": (
        {"population": "50-99", "statut": "tous"},
        {"justice", "resorbed"},
    ),
    "field type land": ({"terrain": FieldType.LAND}, {"big"}),
    "field type building or land": (
        {"terrain": [FieldType.LAND, FieldType.BUILDING]},
        {"big", "small"},
    ),
    "water problems (bad or to improve)": ({"conditions": "water"}, {"big", "small"}),
    "water bad": ({"conditions": "water", "niveau": "bad"}, {"big"}),
    "water to improve": ({"conditions": "water", "niveau": "to_improve"}, {"small"}),
    "electricity problems: none known": ({"conditions": "electricity"}, set()),
    "origins EU": ({"origines": Origin.EUROPEAN}, {"big"}),
    "origins EU or French": ({"origines": [Origin.EUROPEAN, Origin.FRENCH]}, {"big", "small"}),
    "heatwave": ({"canicule": "on"}, {"big"}),
    "not updated for 6 months": ({"non_actualise": "on"}, {"small"}),
    "procedures (justice procedure)": ({"procedures": "procedure"}, {"justice"}),
    "text: name": ({"q": "peupliers"}, {"unknown"}),
    "text: address without accent": ({"q": "ecoles"}, {"unknown"}),
    "text: address with accent and capitals": ({"q": "ÉCOLES"}, {"unknown"}),
    "text: commune name": ({"q": "villefranche"}, {"big", "small"}),
    "text: nothing": ({"q": "zzzz"}, set()),
    "several filters combine (AND)": ({"population": "100-plus", "canicule": "on"}, {"big"}),
    "several filters combine to nothing": ({"population": "moins-10", "canicule": "on"}, set()),
}


@pytest.mark.parametrize("case", FILTER_CASES)
def test_each_filter(admin_client, world, case):
    params, expected = FILTER_CASES[case]
    assert listed(admin_client, params) == expected


@pytest.mark.parametrize(
    "level, expected",
    [
        ("region", {"big", "small", "unknown", "justice"}),
        ("department", {"big", "small", "unknown"}),
        ("commune", {"big", "small"}),
        ("far_department", {"far"}),
    ],
)
def test_territory_filter(admin_client, world, level, expected):
    territory = world[level]
    value = f"{territory.level}:{territory.pk}"
    assert listed(admin_client, {"territoire": value}) == expected


def test_territory_filter_by_typed_name_without_javascript(admin_client, world):
    assert listed(admin_client, {"territoire_search": "Villefranche-Marqueur"}) == {"big", "small"}


@pytest.mark.parametrize(
    "sort, first",
    [
        ("population", ["big", "justice", "far", "small", "unknown"]),
        ("actualisation", ["big"]),  # updated today, the others 30 days ago or more
        ("signalement", ["big", "unknown", "justice", "far"]),  # then "small", declared long ago
    ],
)
def test_sort(admin_client, world, sort, first):
    response = admin_client.get("/sites/", {"tri": sort})
    names = [row["site"].name for row in response.context["page_obj"].rows]
    if sort == "signalement":
        assert names[-1] == "small" and set(names[:4]) == set(first)
    else:
        assert names[: len(first)] == first


def test_sort_by_commune(admin_client, world):
    response = admin_client.get("/sites/", {"tri": "commune"})
    communes = [row["site"].commune.name for row in response.context["page_obj"].rows]
    assert communes == sorted(communes)


# --- Bad input: reported or ignored, never a 500 -------------------------------------------------

BAD_INPUT = {
    "page not a number": ({"page": "abc"}, False),
    "page out of range": ({"page": "9999"}, False),
    "page negative": ({"page": "-3"}, False),
    "unknown status": ({"statut": "archives"}, True),
    "unknown population bracket": ({"population": "beaucoup"}, True),
    "unknown field type": ({"terrain": "lune"}, True),
    "unknown theme": ({"conditions": "wifi"}, True),
    "unknown level": ({"niveau": "terrible"}, True),
    "unknown origin": ({"origines": "mars"}, True),
    "unknown sort": ({"tri": "hasard"}, True),
    "unknown territory level": ({"territoire": "planete:3"}, True),
    "unknown territory code": ({"territoire": "department:ZZ9"}, True),
    "text matching no territory": ({"territoire_search": "Nullepart-sur-Rien"}, True),
    "search too long": ({"q": "x" * 300}, True),
    "unknown parameter": ({"couleur": "rouge"}, False),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_reported_and_ignored(admin_client, world, case):
    params, has_error = BAD_INPUT[case]
    response = admin_client.get("/sites/", params)
    assert response.status_code == 200
    form = response.context["form"]
    assert bool(form.errors) is has_error
    html = response.content.decode()
    assert ("fr-alert--error" in html) is has_error
    if has_error:
        # The invalid filter is ignored: the other results are still there.
        names = {row["site"].name for row in response.context["page_obj"].rows}
        assert names == OPEN
        field = next(iter(form.errors))
        assert f'id="id_{field}' in html or field == "territoire"


def test_errors_are_in_french(admin_client, world):
    response = admin_client.get("/sites/", {"statut": "archives"})
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_empty_state(admin_client, world):
    response = admin_client.get("/sites/", {"q": "zzzz"})
    html = response.content.decode()
    assert response.context["page_obj"].paginator.count == 0
    assert 'id="sites-empty"' in html and 'id="sites-table"' not in html
    assert response.context["is_filtered"] is True


def test_empty_state_without_any_site(admin_client):
    response = admin_client.get("/sites/")
    assert 'id="sites-empty"' in response.content.decode()
    assert response.context["is_filtered"] is False


def test_filters_stay_in_the_pagination_links(admin_client):
    bulk_sites(45, people=lambda n: 100 + n)
    response = admin_client.get("/sites/", {"population": "100-plus", "tri": "population"})
    html = response.content.decode()
    assert response.context["page_obj"].paginator.num_pages == 3
    assert "population=100-plus" in html and "tri=population" in html and "page=2" in html
    response = admin_client.get("/sites/", {"population": "100-plus", "page": "3"})
    assert len(response.context["page_obj"].rows) == 5


def test_the_form_keeps_the_chosen_values(admin_client, world):
    html = admin_client.get("/sites/", {"population": "moins-10", "canicule": "on"}).content
    html = html.decode()
    assert 'value="moins-10"' in html and "checked" in html
    assert 'aria-expanded="true"' in html  # "More filters" unfolded: one of them is used


# --- Completion per site and per territory --------------------------------------------------------


def test_completion_per_department(admin_client, world):
    complete = {
        "address": "1 rue Haute",
        "social_diagnosis_status": "done",
        "people": 12,
        "households": 3,
        "minors": 4,
        "origins": [Origin.FRENCH],
        "water_access_type": WaterAccessType.TANK,
        "electricity_access": False,
        "waste_collection": False,
    }
    done = bulk_sites(3, commune=world["commune"], **complete)
    SiteOwner.objects.create(site=done[0], type=OwnerType.PUBLIC)
    SiteOwner.objects.create(site=done[1], type=OwnerType.UNKNOWN)
    response = admin_client.get("/sites/")
    stats = response.context["completion_stats"]
    by_code = {row["code"]: row for row in stats["departments"]}
    here = by_code[world["department"].code]
    # The admin sees owners: only the site with a known owner type is complete.
    assert (here["total"], here["complete"]) == (6, 1)
    assert stats["total"] == 8 and stats["complete"] == 1 and stats["share"] == 12
    rows = {row["site"].pk: row for row in response.context["page_obj"].rows}
    assert rows[done[0].pk]["completion"].is_complete
    assert rows[done[1].pk]["completion"].missing_keys == ["owner_type"]
    assert 'id="sites-completion-table"' in response.content.decode()


# --- The SQL expressions mirror the Python rules --------------------------------------------------

BOOLS = [None, True, False]


def _random_conditions(rng) -> dict:
    return {
        "water_access_type": rng.choice([*WaterAccessType.values, ""]),
        "water_is_continuous": rng.choice(BOOLS),
        "water_on_site": rng.choice(BOOLS),
        "water_is_close": rng.choice(BOOLS),
        "water_equal_access": rng.choice(BOOLS),
        "water_stagnant": rng.choice(BOOLS),
        "open_air_defecation": rng.choice(BOOLS),
        "working_toilets": rng.choice(BOOLS),
        "toilets_inside": rng.choice(BOOLS),
        "toilets_lit_lockable": rng.choice(BOOLS),
        "hand_washing": rng.choice(BOOLS),
        "electricity_access": rng.choice(BOOLS),
        "electricity_types": rng.sample(ElectricityType.values, rng.randint(0, 2)),
        "electricity_equal_access": rng.choice(BOOLS),
        "waste_collection": rng.choice(BOOLS),
        "waste_collection_close": rng.choice(BOOLS),
        "waste_collection_safe": rng.choice(BOOLS),
        "waste_collection_regular": rng.choice(BOOLS),
        "waste_piling": rng.choice(BOOLS),
        "bulky_waste_piling": rng.choice(BOOLS),
        "pests": rng.choice(BOOLS),
        "fire_prevention_diagnosis": rng.choice(BOOLS),
    }


def _good_conditions() -> dict:
    return {
        "water_access_type": WaterAccessType.NETWORK_TAP,
        "water_is_continuous": True,
        "water_on_site": True,
        "water_is_close": True,
        "water_equal_access": True,
        "water_stagnant": False,
        "open_air_defecation": False,
        "working_toilets": True,
        "toilets_inside": True,
        "toilets_lit_lockable": True,
        "hand_washing": True,
        "electricity_access": True,
        "electricity_types": [ElectricityType.GRID],
        "electricity_equal_access": True,
        "waste_collection": True,
        "waste_collection_close": True,
        "waste_collection_safe": True,
        "waste_collection_regular": True,
        "waste_piling": False,
        "bulky_waste_piling": False,
        "pests": False,
        "fire_prevention_diagnosis": True,
    }


def test_sql_statuses_match_the_python_rules():
    rng = random.Random(20261122)
    variants = [_random_conditions(rng) for _ in range(300)]
    # Every "good" site with one answer changed: the borders of each rule.
    good = _good_conditions()
    for name, values in itertools.product(good, [None, True, False]):
        if name not in ("water_access_type", "electricity_types"):
            variants.append({**good, name: values})
    variants += [{**good, "water_access_type": value} for value in WaterAccessType.values]
    variants += [{**good, "electricity_types": [ElectricityType.GENERATOR]}]
    sites = bulk_sites(
        len(variants), **{name: (lambda n, name=name: variants[n][name]) for name in good}
    )
    expected = {site.pk: living_conditions.statuses(site) for site in sites}
    seen = set()
    for theme in LivingConditionTheme.values:
        rows = SitePage.objects.annotate(status=condition_status(theme)).values_list("pk", "status")
        for pk, status in rows:
            assert status == expected[pk][theme], (theme, pk)
            seen.add((theme, status))
    # The sample reaches every status of every theme (else the test proves little).
    assert len(seen) == 6 * 4 - 2  # pests and fire prevention have no "to improve"


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.OPERATEUR])
def test_sql_completion_matches_the_python_rule(role):
    rng = random.Random(7)
    department = DepartmentFactory()
    fields = {
        "address": lambda n: rng.choice(["", "  ", "2 allée Verte"]),
        "social_diagnosis_status": lambda n: rng.choice(["", "done"]),
        "people": lambda n: rng.choice([None, 10]),
        "households": lambda n: rng.choice([None, 4]) if n % 3 else 4,
        "minors": lambda n: 2 if n % 2 else rng.choice([None, 2]),
        "origins": lambda n: [] if n % 5 == 0 else [Origin.OTHER],
        "water_access_type": lambda n: WaterAccessType.TANK if n % 7 else WaterAccessType.UNKNOWN,
        "electricity_access": lambda n: None if n % 11 == 0 else True,
        "waste_collection": lambda n: None if n % 13 == 0 else False,
    }
    sites = bulk_sites(120, department=department, **fields)
    # Most sites complete but for the owner, so that the owner item matters.
    for site in sites:
        for field, value in {"address": "2 allée Verte", "people": 10}.items():
            if rng.random() < 0.6:
                setattr(site, field, value)
        site.save_base(raw=True, update_fields=["address", "people"])
    for site in sites[::2]:
        SiteOwner.objects.create(site=site, type=rng.choice(OwnerType.values))
    user = UserFactory(role=role)
    give_area(user, department)
    include_owners = role == Role.NATIONAL_ADMIN
    queryset = SitePage.objects.prefetch_related("owners")
    expected = {
        site.pk for site in queryset if completion(site, include_owners=include_owners).is_complete
    }
    assert SitePage.objects.filter(complete_q(user)).count() == len(expected)
    assert set(SitePage.objects.filter(complete_q(user)).values_list("pk", flat=True)) == expected
    assert 0 < len(expected) < len(sites)


# --- Resorption target year ---------------------------------------------------------------------


def test_the_resorption_target_year_filter(admin_client, world):
    year = timezone.localdate().year + 1
    SitePage.objects.filter(name__in=["big", "small"]).update(resorption_target_year=year)
    assert listed(admin_client, {"objectif": str(year)}) == {"big", "small"}
    assert listed(admin_client, {"objectif": "aucun"}) == OPEN - {"big", "small"}
    assert listed(admin_client, {"objectif": str(year + 1)}) == set()


@pytest.mark.parametrize("value", ["demain", "1999", "20277"])
def test_a_bad_target_year_is_reported_in_french_and_ignored(admin_client, world, value):
    response = admin_client.get("/sites/", {"objectif": value})
    assert response.status_code == 200
    assert {row["site"].name for row in response.context["page_obj"].rows} == OPEN
    assert "Saisissez une année entre 2018 et 2100, ou « aucun »." in response.content.decode()
