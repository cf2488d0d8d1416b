"""The site page and the department's list of sites, for readers: who gets what, and how many
queries it costs. Assertions are on data and markers, never on translated UI text."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.enums import Role, Topic
from sitepages.enums import OwnerType, SolutionType
from sitepages.models import ClosingSolution, SiteActor, SiteOwner
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

OWNER_MARKER = "Proprietaire-Marqueur-7Q"
COURT_MARKER = "Tribunal-Marqueur-9Z"

# role, where the user's area is ("here", "elsewhere", "nation"),
# then: site page status, index status, owners shown, justice shown
READERS = {
    "national admin": (Role.NATIONAL_ADMIN, "nation", 200, 200, True, True),
    "local admin here": (Role.LOCAL_ADMIN, "here", 200, 200, True, True),
    "local admin elsewhere": (Role.LOCAL_ADMIN, "elsewhere", 404, 404, False, False),
    "correspondant elsewhere (national read)": (
        Role.CORRESPONDANT,
        "elsewhere",
        200,
        200,
        True,
        True,
    ),
    "acteur national": (Role.ACTEUR_NATIONAL, "nation", 200, 200, True, True),
    "partenaire here": (Role.PARTENAIRE_INSTITUTIONNEL, "here", 200, 200, True, False),
    "operateur here": (Role.OPERATEUR, "here", 200, 200, False, False),
    "operateur elsewhere": (Role.OPERATEUR, "elsewhere", 404, 404, False, False),
    "intervenant here": (Role.INTERVENANT, "here", 200, 200, False, False),
    "observateur here": (Role.OBSERVATEUR_EXTERNE, "here", 200, 200, False, False),
}


@pytest.fixture
def place():
    here = DepartmentFactory()
    elsewhere = DepartmentFactory()
    return {"here": here, "elsewhere": elsewhere, "nation": None}


def make_site(department, **kwargs):
    site = SitePageFactory(
        commune=CommuneFactory(department=department),
        justice_procedure=True,
        justice_decision=True,
        justice_court=COURT_MARKER,
        **kwargs,
    )
    SiteOwner.objects.create(site=site, type=OwnerType.PRIVATE, name=OWNER_MARKER)
    return site


def reader(role, territory):
    user = UserFactory(role=role)
    give_area(user, territory)
    return user


@pytest.mark.parametrize("case", READERS)
def test_what_each_reader_gets(client, place, case):
    role, area, site_status, index_status, sees_owners, sees_justice = READERS[case]
    site = make_site(place["here"])
    index = site.get_parent().specific
    client.force_login(reader(role, place[area]))

    response = client.get(site.url)
    assert response.status_code == site_status
    html = response.content.decode()
    assert (OWNER_MARKER in html) is sees_owners
    assert (COURT_MARKER in html) is sees_justice
    if site_status == 200:
        assert site.name in html and site.address in html
        # Completion says nothing about owners to readers who may not see them.
        site_completion = response.context["completion"]
        assert ("owner_type" in [key for key, _ in site_completion.missing]) is False
        assert site_completion.total == (10 if sees_owners else 9)

    response = client.get(index.url)
    assert response.status_code == index_status
    html = response.content.decode()
    assert (site.name in html) is (index_status == 200)
    assert OWNER_MARKER not in html and COURT_MARKER not in html
    if index_status == 200:
        row = response.context["page_obj"].rows[0]
        assert row["completion"].total == (10 if sees_owners else 9)


def test_anonymous_visitors_are_sent_to_the_login_page(client, place):
    site = make_site(place["here"])
    for url in (site.url, site.get_parent().url):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/connexion/")
        assert OWNER_MARKER not in response.content.decode()


def test_unpublished_sites_are_404(client, place):
    site = make_site(place["here"])
    client.force_login(reader(Role.NATIONAL_ADMIN, None))
    site.unpublish()
    assert client.get(site.url or f"{site.get_parent().url}{site.slug}/").status_code == 404


def test_site_page_shows_the_data(client, place):
    actor_user = UserFactory(first_name="Ada", last_name="Actrice")
    site = make_site(
        place["here"],
        people=42,
        households=11,
        caravans=7,
        pests=True,
        pests_details="Rats-Marqueur",
        closed_at=timezone.localdate() - datetime.timedelta(days=2),
        closing_context="Contexte-Marqueur",
        closed_with_solutions=True,
        resorption_target_year=2031,
        heatwave=True,
    )
    ClosingSolution.objects.create(
        site=site, solution_type=SolutionType.HOUSING, people=13, households=4
    )
    SiteActor.objects.create(site=site, user=actor_user, themes=[Topic.HEALTH])
    client.force_login(reader(Role.NATIONAL_ADMIN, None))
    response = client.get(site.url)
    html = response.content.decode()
    context = response.context
    assert context["population"][0] == (str(site._meta.get_field("people").verbose_name), 42)
    assert context["status_badge"] == "fr-badge--success"  # resorbed
    assert "Rats-Marqueur" in html and "Contexte-Marqueur" in html
    assert re.search(r">\s*13\s*<", html) and re.search(r">\s*42\s*<", html) and "2031" in html
    assert f"/annuaire/personnes/{actor_user.pk}/" in html and "Actrice" in html
    assert context["completion"].done < context["completion"].total
    assert 'id="site-heatwave"' in html
    statuses = {row["theme"]: row["badge"] for row in context["living_conditions"]}
    assert len(statuses) == 6
    assert "fr-badge--error" in statuses.values()  # pests


def test_a_site_without_data_renders(client, place):
    site = SitePageFactory(commune=CommuneFactory(department=place["here"]))
    client.force_login(reader(Role.OBSERVATEUR_EXTERNE, place["here"]))
    response = client.get(site.url)
    assert response.status_code == 200
    assert response.context["closing"] is None
    assert response.context["owners"] == [] and response.context["justice"] == []


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_site_page_queries_do_not_grow_with_its_rows(client, place):
    client.force_login(reader(Role.NATIONAL_ADMIN, None))
    today = timezone.localdate()
    small = make_site(place["here"], closed_at=today, closed_with_solutions=True)
    big = make_site(place["here"], closed_at=today, closed_with_solutions=True)
    for site, size in ((small, 1), (big, 10)):
        for n in range(size - 1):
            SiteOwner.objects.create(site=site, type=OwnerType.PUBLIC, name=f"Owner {n}")
        for n in range(size):
            ClosingSolution.objects.create(
                site=site, solution_type=list(SolutionType)[n % 6], people=n
            )
            SiteActor.objects.create(site=site, user=UserFactory(), themes=[Topic.HOUSING])
    count_queries(client, small.url)  # warm the per-process caches (charter, site root)
    assert count_queries(client, small.url) == count_queries(client, big.url)


def test_index_queries_do_not_grow_with_the_sites(client, place):
    small_department, big_department = place["here"], DepartmentFactory()
    small = [make_site(small_department) for _ in range(10)]
    big = [make_site(big_department) for _ in range(50)]
    client.force_login(reader(Role.NATIONAL_ADMIN, None))
    small_url, big_url = small[0].get_parent().url, big[0].get_parent().url
    count_queries(client, small_url)
    assert count_queries(client, small_url) == count_queries(client, big_url)
    response = client.get(big_url, {"page": "3"})
    assert len(response.context["page_obj"].rows) == 10
