"""Who sees which sites in the list, the map and the GeoJSON feed (roles × inside/outside their
territory), the department's index page, and the procedure filter that needs the justice right."""

import pytest

from directory.enums import Role, UserOption
from directory.models import PermissionException
from directory.permission_matrix import Feature, Scope
from sitepages.models import SiteIndexPage
from tests.directory.factories import DepartmentFactory, UserFactory, give_area
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    here, elsewhere = DepartmentFactory(), DepartmentFactory()
    bulk_sites(1, department=here, name="here", latitude=45.7, longitude=4.8)
    bulk_sites(1, department=elsewhere, name="elsewhere", latitude=43.3, longitude=5.4)
    return {"here": here, "elsewhere": elsewhere, "nation": None}


HERE, ELSEWHERE, BOTH = {"here"}, {"elsewhere"}, {"here", "elsewhere"}

# role, the user's area ("here", "elsewhere", "nation" or None: no area), sites seen (None: 403)
READERS = {
    "national admin": (Role.NATIONAL_ADMIN, "nation", BOTH),
    "local admin here": (Role.LOCAL_ADMIN, "here", HERE),
    "local admin elsewhere": (Role.LOCAL_ADMIN, "elsewhere", ELSEWHERE),
    "correspondant here (national list)": (Role.CORRESPONDANT, "here", BOTH),
    "acteur national": (Role.ACTEUR_NATIONAL, "nation", BOTH),
    "partenaire here": (Role.PARTENAIRE_INSTITUTIONNEL, "here", HERE),
    "operateur elsewhere": (Role.OPERATEUR, "elsewhere", ELSEWHERE),
    "intervenant here": (Role.INTERVENANT, "here", HERE),
    "observateur here": (Role.OBSERVATEUR_EXTERNE, "here", HERE),
    "intervenant without any area": (Role.INTERVENANT, None, None),
}


def reader(role, territory, *, area=True):
    user = UserFactory(role=role)
    if area:
        give_area(user, territory)
    return user


@pytest.mark.parametrize("case", READERS)
def test_who_sees_which_sites(client, place, case):
    role, area, expected = READERS[case]
    client.force_login(reader(role, place.get(area), area=area is not None))

    # Every site the user may list (by default, a national reader sees their own areas first).
    response = client.get("/sites/", {"statut": "tous", "perimetre": "tout"})
    if expected is None:
        assert response.status_code == 403
        assert client.get("/sites/carte/").status_code == 403
        assert client.get("/sites/geojson/").status_code == 403
        return
    assert {row["site"].name for row in response.context["page_obj"].rows} == expected

    response = client.get("/sites/carte/", {"perimetre": "tout"})
    assert response.status_code == 200
    assert response.context["total"] == len(expected) == response.context["located"]

    response = client.get("/sites/geojson/", {"perimetre": "tout"})
    assert response.status_code == 200
    assert {feature["id"] for feature in response.json()["features"]} == _pks(expected)

    for department_key in ("here", "elsewhere"):
        index = SiteIndexPage.objects.get(department=place[department_key])
        status = 200 if department_key in expected else 404
        assert _department_index_status(client, index) == status


def _department_index_status(client, index) -> int:
    from django.http import Http404

    try:
        return _department_index(client, index).status_code
    except Http404:
        return 404


def _pks(names):
    from sitepages.models import SitePage

    return set(SitePage.objects.filter(name__in=names).values_list("pk", flat=True))


def _department_index(client, index):
    from django.test import RequestFactory

    from sitepages.views_list import department_index

    request = RequestFactory().get(index.url)
    request.user = _session_user(client)
    response = department_index(request, index)
    if hasattr(response, "render"):
        response.render()
    return response


def _session_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_department_index_lists_only_its_department(client, place):
    user = reader(Role.NATIONAL_ADMIN, None)
    client.force_login(user)
    index = SiteIndexPage.objects.get(department=place["here"])
    response = _department_index(client, index)
    assert {row["site"].name for row in response.context_data["page_obj"].rows} == HERE
    # Filtering leads to the list of all sites, starting from this department.
    html = response.content.decode()
    assert 'action="/sites/"' in html
    assert f'value="department:{place["here"].code}"' in html


def test_department_index_ignores_another_territory_in_the_url(client, place):
    user = reader(Role.NATIONAL_ADMIN, None)
    client.force_login(user)
    index = SiteIndexPage.objects.get(department=place["here"])
    from django.test import RequestFactory

    from sitepages.views_list import department_index

    request = RequestFactory().get(
        index.url, {"territoire": f"department:{place['elsewhere'].code}"}
    )
    request.user = user
    response = department_index(request, index)
    assert {row["site"].name for row in response.context_data["page_obj"].rows} == HERE


def test_anonymous_visitors(client, place):
    for url in ("/sites/", "/sites/carte/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    response = client.get("/sites/geojson/")
    assert response.status_code == 403
    assert "features" not in response.json()
    index = SiteIndexPage.objects.get(department=place["here"])
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from sitepages.views_list import department_index

    request = RequestFactory().get(index.url)
    request.user = AnonymousUser()
    assert department_index(request, index).status_code == 302


def test_inactive_account_sees_nothing(client, place):
    user = reader(Role.NATIONAL_ADMIN, None)
    user.status = "inactive"
    user.save()
    client.force_login(user)
    assert client.get("/sites/geojson/").status_code in (302, 403)


# --- The procedure filter --------------------------------------------------------------------


@pytest.fixture
def procedures():
    here, elsewhere = DepartmentFactory(), DepartmentFactory()
    located = {"latitude": 45.0, "longitude": 5.0}
    bulk_sites(1, department=here, name="justice here", justice_procedure=True, **located)
    bulk_sites(1, department=here, name="plain here", **located)
    bulk_sites(1, department=elsewhere, name="justice elsewhere", justice_procedure=True, **located)
    bulk_sites(1, department=elsewhere, name="plain elsewhere", **located)
    return {"here": here, "elsewhere": elsewhere}


ALL_PROCEDURE_SITES = {"justice here", "plain here", "justice elsewhere", "plain elsewhere"}

# role, options, exception (feature scope), area, shown, sites listed with procedures=procedure
PROCEDURE_CASES = {
    "national admin: filter applies everywhere": (
        Role.NATIONAL_ADMIN,
        [],
        None,
        None,
        True,
        {"justice here", "justice elsewhere"},
    ),
    "operateur: no justice right, filter hidden and ignored": (
        Role.OPERATEUR,
        [],
        None,
        "here",
        False,
        {"justice here", "plain here"},
    ),
    "partenaire with the justice option: filter on its territory": (
        Role.PARTENAIRE_INSTITUTIONNEL,
        [UserOption.JUSTICE_ACCESS],
        None,
        "here",
        True,
        {"justice here"},
    ),
    "correspondant with justice narrowed to its territory: never elsewhere": (
        Role.CORRESPONDANT,
        [],
        Scope.LOCAL,
        "here",
        True,
        {"justice here"},
    ),
    "correspondant with justice removed: ignored": (
        Role.CORRESPONDANT,
        [],
        Scope.NONE,
        "here",
        False,
        ALL_PROCEDURE_SITES,
    ),
}


@pytest.mark.parametrize("case", PROCEDURE_CASES)
def test_procedure_filter(client, procedures, case):
    role, options, exception, area, shown, expected = PROCEDURE_CASES[case]
    user = UserFactory(role=role, options=options)
    give_area(user, procedures.get(area))
    if exception is not None:
        PermissionException.objects.create(user=user, feature=Feature.SITE_JUSTICE, scope=exception)
    client.force_login(user)
    # Every site the user may list, not only their own areas (the list's default).
    response = client.get("/sites/", {"procedures": "procedure", "perimetre": "tout"})
    assert response.status_code == 200
    assert ("procedures" in response.context["form"].fields) is shown
    assert ('name="procedures"' in response.content.decode()) is shown
    assert {row["site"].name for row in response.context["page_obj"].rows} == expected
    geojson = client.get("/sites/geojson/", {"procedures": "procedure", "perimetre": "tout"}).json()
    assert {feature["id"] for feature in geojson["features"]} == _pks(expected)
    map_page = client.get("/sites/carte/", {"procedures": "procedure", "perimetre": "tout"})
    assert map_page.context["total"] == len(expected)
