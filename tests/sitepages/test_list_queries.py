"""The list, the map, the GeoJSON feed and a department's index run the same number of SQL
queries with 5 sites and with 500."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.enums import Role
from sitepages.enums import OwnerType, WaterAccessType
from sitepages.models import SiteIndexPage, SiteOwner, SitePage
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db

EVERY_FILTER = {
    "q": "rue",
    "statut": "tous",
    "population": ["inconnue", "10-49", "100-plus"],
    "terrain": ["unknown", "land"],
    "conditions": ["water", "sanitation"],
    "niveau": ["bad", "to_improve"],
    "procedures": ["procedure", "expulsion"],
    "origines": ["european"],
    "canicule": "on",
    "non_actualise": "on",
    "tri": "population",
}

URLS = {
    "list": ("/sites/", {}),
    "list, every filter": ("/sites/", EVERY_FILTER),
    "list, page 2": ("/sites/", {"page": "2", "tri": "commune"}),
    "map": ("/sites/carte/", {}),
    "map, every filter": ("/sites/carte/", EVERY_FILTER),
    "geojson": ("/sites/geojson/", {}),
    "geojson, every filter": ("/sites/geojson/", EVERY_FILTER),
}


def add_sites(commune, count):
    fields = {
        "people": lambda n: [None, 12, 150][n % 3],
        "latitude": lambda n: 45 + n / 1000,
        "longitude": 4.8,
        "water_access_type": WaterAccessType.BOTTLES,
        "origins": ["european"],
        "heatwave": True,
        "justice_procedure": True,
        "declared_at": datetime.date(2020, 1, 1),  # not updated since: "non_actualise"
    }
    sites = bulk_sites(count, commune=commune, **fields)
    SiteOwner.objects.bulk_create(
        SiteOwner(site=site, type=OwnerType.PUBLIC, sort_order=0) for site in sites[::2]
    )
    return sites


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.LOCAL_ADMIN])
@pytest.mark.parametrize("case", URLS)
def test_queries_do_not_grow_with_the_sites(client, django_assert_num_queries, role, case):
    url, params = URLS[case]
    department = DepartmentFactory()
    communes = [CommuneFactory(department=department) for _ in range(3)]
    user = UserFactory(role=role)
    give_area(user, department if role == Role.LOCAL_ADMIN else None)
    client.force_login(user)
    for commune in communes:
        add_sites(commune, 2)  # 6 sites, more than one page of nothing
    count_queries(client, url, params)  # warm the per-process caches (charter, site root)
    small = count_queries(client, url, params)
    for commune in communes:
        add_sites(commune, 165)  # about 500 sites
    # Warm again: creating the sites may outlast the one-minute caches (charter version). A
    # query per row would still show, on every request.
    count_queries(client, url, params)
    with django_assert_num_queries(small):
        response = client.get(url, params)
    if url == "/sites/geojson/":
        assert len(response.json()["features"]) > 400
    elif url == "/sites/carte/":
        assert response.context["total"] > 400
    else:
        assert response.context["page_obj"].paginator.count > 400
        assert len(response.context["page_obj"].rows) == 20


def test_department_index_queries_do_not_grow(client, django_assert_num_queries):
    from django.test import RequestFactory

    from sitepages.views_list import department_index

    department = DepartmentFactory()
    commune = CommuneFactory(department=department)
    user = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(user, None)
    add_sites(commune, 5)
    index = SiteIndexPage.objects.get(department=department)

    def render():
        request = RequestFactory().get(index.url)
        request.user = user
        response = department_index(request, index)
        response.render()
        return response

    render()
    with CaptureQueriesContext(connection) as queries:
        render()
    add_sites(commune, 495)
    render()  # warm again (see above)
    with django_assert_num_queries(len(queries)):
        response = render()
    assert response.context_data["page_obj"].paginator.count == 500


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.LOCAL_ADMIN])
def test_site_page_queries_do_not_grow_with_the_sites_of_the_territory(
    client, django_assert_num_queries, role
):
    """A site's page costs the same with 10 or 500 sites in its territory."""
    department = DepartmentFactory()
    commune = CommuneFactory(department=department)
    user = UserFactory(role=role)
    give_area(user, department if role == Role.LOCAL_ADMIN else None)
    client.force_login(user)
    add_sites(commune, 10)
    site = SitePage.objects.filter(commune=commune).first()
    count_queries(client, site.url, {})  # warm the per-process caches (charter, site root)
    small = count_queries(client, site.url, {})
    add_sites(commune, 490)
    assert SitePage.objects.filter(commune__department=department).count() == 500
    count_queries(client, site.url, {})
    with django_assert_num_queries(small):
        response = client.get(site.url)
    assert response.status_code == 200
