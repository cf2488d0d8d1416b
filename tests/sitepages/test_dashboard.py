"""The territorial dashboard: figures equal to counts made here independently, only the sites
the user may list, the territory choice, the population alerts from revisions, the monthly
evolution, bad input, and a query count that does not grow with the number of sites."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.enums import Role
from sitepages.enums import WaterAccessType
from sitepages.models import SitePage
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    here, elsewhere = DepartmentFactory(), DepartmentFactory()
    bulk_sites(
        3,
        department=here,
        people=lambda n: [5, 30, 120][n],
        minors=lambda n: [2, 10, 40][n],
        minors_in_school=lambda n: [None, 4, 20][n],
        water_access_type=lambda n: [
            WaterAccessType.NETWORK_TAP,
            WaterAccessType.UNKNOWN,
            WaterAccessType.UNKNOWN,
        ][n],
        water_is_public=True,
        water_is_continuous=True,
        water_on_site=True,
        water_equal_access=True,
        water_stagnant=False,
        heatwave=lambda n: n == 2,
    )
    bulk_sites(
        1, department=here, people=500, closed_at=timezone.localdate(), closed_with_solutions=True
    )
    bulk_sites(2, department=elsewhere, people=1000, minors=300)
    return {"here": here, "elsewhere": elsewhere}


def member(role, area=None):
    user = UserFactory(role=role)
    give_area(user, area)
    return user


def figures(client, **params):
    response = client.get("/sites/tableau-de-bord/", params)
    assert response.status_code == 200
    return response.context["data"]


def test_figures_are_the_open_sites_the_user_may_see(client, place):
    client.force_login(member(Role.LOCAL_ADMIN, place["here"]))
    data = figures(client)
    head = data["headline"]

    expected = SitePage.objects.filter(
        commune__department=place["here"], closed_at__isnull=True
    ).values_list("people", "minors", "minors_in_school")
    assert head["sites"] == len(expected) == 3
    assert head["people"] == sum(people for people, _m, _s in expected) == 155
    assert head["minors"] == 52
    assert head["minors_in_school"] == 24
    assert head["school_share"] == round(100 * 24 / 50)  # minors of the sites that counted
    assert head["heatwave"] == 1
    sizes = {size["key"]: size["count"] for size in head["sizes"]}
    assert sizes == {"inconnue": 0, "moins-10": 1, "10-49": 1, "50-99": 0, "100-plus": 1}
    water = next(row for row in head["conditions"] if row["theme"] == "water")
    assert (water["good"], water["unknown"], water["share"]) == (1, 2, 33)


def test_a_national_reader_chooses_a_territory(client, place):
    client.force_login(member(Role.NATIONAL_ADMIN))
    assert figures(client)["headline"]["people"] == 155 + 2000
    narrowed = figures(client, territoire=f"department:{place['elsewhere'].code}")
    assert narrowed["headline"]["people"] == 2000


def test_choosing_a_territory_never_widens_what_a_local_user_sees(client, place):
    client.force_login(member(Role.LOCAL_ADMIN, place["here"]))
    data = figures(client, territoire=f"department:{place['elsewhere'].code}")
    assert data["headline"]["sites"] == 0
    html = client.get(
        "/sites/tableau-de-bord/", {"territoire": f"department:{place['elsewhere'].code}"}
    ).content.decode()
    assert "Aucun site ouvert" in html


@pytest.mark.parametrize("value", ["department:zz", "n'importe quoi", "x" * 5000, "region:"])
def test_bad_territory_values_never_fail(client, place, value):
    client.force_login(member(Role.NATIONAL_ADMIN))
    response = client.get("/sites/tableau-de-bord/", {"territoire": value})
    assert response.status_code == 200


def test_who_may_open_it(client, place):
    assert client.get("/sites/tableau-de-bord/").status_code == 302
    client.force_login(UserFactory(role=Role.INTERVENANT))  # no area: lists nothing
    assert client.get("/sites/tableau-de-bord/").status_code == 403
    client.force_login(member(Role.OBSERVATEUR_EXTERNE, place["here"]))
    assert client.get("/sites/tableau-de-bord/").status_code == 200


def _revision(site, people, days_ago):
    page = SitePage.objects.get(pk=site.pk)
    page.people = people
    revision = page.save_revision()
    revision.publish(skip_permission_checks=True)
    when = timezone.now() - datetime.timedelta(days=days_ago)
    type(revision).objects.filter(pk=revision.pk).update(created_at=when)
    return revision


def test_population_alerts_read_the_revisions_of_six_months_ago(client):
    department = DepartmentFactory()
    commune = CommuneFactory(department=department)
    doubled, grew, young = bulk_sites(3, commune=commune, people=10)
    _revision(doubled, 12, days_ago=200)
    _revision(doubled, 30, days_ago=1)
    _revision(grew, 20, days_ago=200)
    _revision(grew, 30, days_ago=1)
    _revision(young, 40, days_ago=1)  # no revision six months ago: no alert
    client.force_login(member(Role.LOCAL_ADMIN, department))

    alerts = figures(client)["alerts"]

    assert [(alert["pk"], alert["old_people"], alert["people"]) for alert in alerts] == [
        (doubled.pk, 12, 30)
    ]
    html = client.get("/sites/tableau-de-bord/").content.decode()
    assert f'href="{SitePage.objects.get(pk=doubled.pk).url}"' in html


def test_evolution_counts_open_declared_and_closed_per_month(client):
    today = timezone.localdate()
    department = DepartmentFactory()
    long_ago = today - datetime.timedelta(days=800)
    bulk_sites(2, department=department, declared_at=long_ago)
    bulk_sites(1, department=department, declared_at=today)
    bulk_sites(
        1,
        department=department,
        declared_at=long_ago,
        closed_at=today,
        closed_with_solutions=True,
    )
    client.force_login(member(Role.LOCAL_ADMIN, department))

    months = figures(client)["evolution"]

    assert len(months) == 12
    assert months[-1]["month"] == today.replace(day=1)
    assert (months[-1]["open"], months[-1]["declared"], months[-1]["closed"]) == (3, 1, 1)
    assert months[-1]["resorbed"] == 1
    assert (months[0]["open"], months[0]["declared"], months[0]["closed"]) == (3, 0, 0)


def test_query_count_does_not_grow_with_the_sites(client):
    department = DepartmentFactory()
    bulk_sites(3, department=department, people=20)
    client.force_login(member(Role.LOCAL_ADMIN, department))

    def count():
        client.get("/sites/tableau-de-bord/")  # warm the per-request caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sites/tableau-de-bord/").status_code == 200
        return len(captured)

    small = count()
    bulk_sites(60, department=department, people=lambda n: 10 + n)
    assert count() == small


def test_the_dashboard_is_linked_from_the_home_dashboard_and_the_list(client, place):
    client.force_login(member(Role.LOCAL_ADMIN, place["here"]))
    assert "/sites/tableau-de-bord/" in client.get("/tableau-de-bord/").content.decode()
    assert "/sites/tableau-de-bord/" in client.get("/sites/").content.decode()


def test_the_resorption_targets_of_this_year_and_the_next(client, place):
    year = timezone.localdate().year
    open_here = SitePage.objects.filter(commune__department=place["here"], closed_at__isnull=True)
    first, second, third = open_here.order_by("people")
    SitePage.objects.filter(pk__in=[first.pk, second.pk]).update(resorption_target_year=year)
    SitePage.objects.filter(pk=third.pk).update(resorption_target_year=year + 1)
    # Closed sites and other departments do not count.
    SitePage.objects.filter(closed_at__isnull=False).update(resorption_target_year=year)
    client.force_login(member(Role.LOCAL_ADMIN, place["here"]))
    response = client.get("/sites/tableau-de-bord/")
    targets = response.context["data"]["headline"]["targets"]
    assert targets == [
        {"year": year, "sites": 2, "people": 35},
        {"year": year + 1, "sites": 1, "people": 120},
    ]
    html = response.content.decode()
    assert f"2 sites ouverts à résorber en {year} (35 personnes)" in html
    assert f"objectif={year + 1}" in html
