"""Public statistics: figures equal counts made independently here; small cells are suppressed
in the page, the CSV and the API; the computation is cached and its query count is flat."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms import statistics
from cms.models import StatisticsPage
from directory.models import User
from journal.models import Entry
from sitepages.enums import SolutionType
from tests.cms.factories import add_page, closed_site, this_year
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


# --- Suppression rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "published"),
    [
        (0, statistics.PEOPLE, 0),
        (1, statistics.PEOPLE, "< 10"),
        (9, statistics.PEOPLE, "< 10"),
        (10, statistics.PEOPLE, 10),
        (0, statistics.SITES, 0),
        (2, statistics.SITES, "< 3"),
        (3, statistics.SITES, 3),
        (2, None, 2),
    ],
)
def test_small_counts_are_suppressed(value, kind, published):
    assert statistics.suppress(value, kind) == published


@pytest.mark.parametrize(
    ("values", "published"),
    [
        ([2, 5, 4], ["< 3", 5, "< 3"]),  # one hidden cell: the smallest other one is hidden too
        ([2, 1, 4], ["< 3", "< 3", 4]),  # two hidden cells: no subtraction recovers either
        ([0, 5, 4], [0, 5, 4]),
        ([2, 0, 0], ["< 3", 0, 0]),  # nothing else to hide (zeros reveal nobody)
    ],
)
def test_a_single_hidden_cell_of_a_series_gets_a_complementary_one(values, published):
    assert statistics.suppress_series(values, statistics.SITES) == published


# --- Figures ------------------------------------------------------------------------------------


@pytest.fixture
def departments():
    return [DepartmentFactory(code="69", name="Rhône"), DepartmentFactory(code="59", name="Nord")]


@pytest.fixture
def open_sites(departments):
    rhone, nord = departments
    sites = [
        SitePageFactory(
            commune=CommuneFactory(department=rhone), people=p, minors=m, minors_in_school=s
        )
        for p, m, s in [(40, 12, 8), (25, 10, 6), (18, 6, 2), (60, 20, None)]
    ]
    sites += [
        SitePageFactory(
            commune=CommuneFactory(department=nord), people=p, minors=m, minors_in_school=s
        )
        for p, m, s in [(30, 11, 10), (12, 4, 3), (None, None, None)]
    ]
    return sites


def test_totals_equal_independent_counts(open_sites, departments):
    year = this_year()
    closed_site(year=year, people=50, commune=CommuneFactory(department=departments[0]))
    draft = SitePageFactory(people=500, minors=300)
    draft.unpublish()  # not live: not counted

    expected_people = sum(site.people or 0 for site in open_sites)
    expected_minors = sum(site.minors or 0 for site in open_sites)
    expected_school = sum(site.minors_in_school or 0 for site in open_sites)
    totals = statistics.compute()["totals"]

    assert totals == {
        "open_sites": len(open_sites),
        "people": expected_people,
        "minors": expected_minors,
        "minors_in_school": expected_school,
        "departments": 2,
    }
    assert (expected_people, expected_minors, expected_school) == (185, 63, 29)


def test_departments_equal_independent_counts(open_sites):
    rows = {row["code"]: row for row in statistics.compute()["departments"]}
    for code in ("69", "59"):
        mine = [site for site in open_sites if site.commune.department_id == code]
        assert rows[code]["open_sites"] == len(mine)
        assert rows[code]["people"] == sum(site.people or 0 for site in mine)
    assert set(rows) == {"69", "59"}
    assert set(rows["69"]) == {"code", "name", "open_sites", "people"}  # nothing about a site


def test_closings_and_rehousing_per_year(departments):
    year = this_year() - 1
    sites = [
        closed_site(year=year, solutions=[(SolutionType.HOUSING, 12), (SolutionType.ASYLUM, 15)]),
        closed_site(year=year, solutions=[(SolutionType.HOUSING, 20)]),
        closed_site(year=year, solutions=[(SolutionType.NO_SOLUTION, 30)], resorbed=True),
        closed_site(year=year, resorbed=False),
        closed_site(year=year - 1, solutions=[(SolutionType.EMERGENCY_SHELTER, 40)]),
    ]
    rows = {row["year"]: row for row in statistics.compute()["years"]}

    def expected_rehoused(y, solution):
        return sum(
            solution_row.people
            for site in sites
            if site.closed_at.year == y
            for solution_row in site.closing_solutions.all()
            if solution_row.solution_type == solution
        )

    assert rows[year]["closed_sites"] == 4
    assert rows[year]["resorbed_sites"] == 3
    assert (
        rows[year]["rehoused_by_solution"][SolutionType.HOUSING]
        == expected_rehoused(year, SolutionType.HOUSING)
        == 32
    )
    assert rows[year]["rehoused_by_solution"][SolutionType.ASYLUM] == 15
    assert SolutionType.NO_SOLUTION not in rows[year]["rehoused_by_solution"]
    assert rows[year]["rehoused_people"] == 47
    assert rows[year - 1]["closed_sites"] == "< 3"  # one site only
    assert rows[year - 1]["rehoused_people"] == 40
    assert sorted(rows) == list(range(year - 1, this_year() + 1))  # up to the current year


def test_active_users_and_contributions_per_month(open_sites):
    now = timezone.now()
    last_month = (now.replace(day=1) - datetime.timedelta(days=1)).replace(day=15)
    this_month_users = UserFactory.create_batch(11)
    User.objects.filter(pk__in=[u.pk for u in this_month_users]).update(last_access=now)
    previous_users = UserFactory.create_batch(3)
    User.objects.filter(pk__in=[u.pk for u in previous_users]).update(last_access=last_month)
    writer = UserFactory()  # not seen through last_access: counted through their revisions
    for site in open_sites[:4]:
        site.save_revision(user=writer)

    months = {row["month"]: row for row in statistics.compute()["months"]}
    current = months[timezone.localdate().strftime("%Y-%m")]
    previous = months[timezone.localtime(last_month).strftime("%Y-%m")]

    assert len(months) == statistics.MONTHS
    assert current["active_users"] == 12
    assert current["contributions"]["site_updates"] == 4
    assert current["contributions_total"] == 4
    assert previous["active_users"] == "< 10"  # 3 people


def test_journal_entries_count_as_contributions(open_sites):
    authors = UserFactory.create_batch(10)
    for author in authors:
        Entry.objects.create(site=open_sites[0], author=author, text="Passage sur le site")
    Entry.objects.create(
        site=open_sites[1],
        author=authors[0],
        text="Ancien message",
        created_at=timezone.now() - datetime.timedelta(days=400),  # out of the 12 months
    )
    months = {row["month"]: row for row in statistics.compute()["months"]}
    current = months[timezone.localdate().strftime("%Y-%m")]
    assert current["contributions"]["journal"] == 10
    assert current["active_users"] == 10
    assert sum(row["contributions"]["journal"] for row in months.values()) == 10


# --- Suppression everywhere it is published -----------------------------------------------------


@pytest.fixture
def small_department(departments):
    """Département 59: 2 sites, 7 people (both cells hidden); 69: enough to publish."""
    rhone, nord = departments
    for people in (40, 25, 18, 60):
        SitePageFactory(commune=CommuneFactory(department=rhone), people=people)
    for people in (3, 4):
        SitePageFactory(commune=CommuneFactory(department=nord), people=people)


def test_small_cells_are_hidden_in_the_data(small_department):
    rows = {row["code"]: row for row in statistics.compute()["departments"]}
    assert rows["59"]["open_sites"] == "< 3"
    assert rows["59"]["people"] == "< 10"
    # the only other department is hidden too: national total minus it would give 59's figures
    assert rows["69"]["open_sites"] == "< 3"
    assert rows["69"]["people"] == "< 10"


def test_small_cells_are_hidden_in_the_page_csv_and_api(client, small_department):
    page = add_page(StatisticsPage, title="Statistiques", slug="statistiques")
    html = client.get(page.url).content.decode()
    assert "&lt; 10" in html and "&lt; 3" in html
    assert "<svg" in html and "<table>" in html and "<caption>" in html

    response = client.get(reverse("wagtailapi:statistics:csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["departement", "59", "people", "< 10"] in rows
    assert ["departement", "59", "open_sites", "< 3"] in rows
    assert ["total", "", "people", "150"] in rows

    data = client.get(reverse("wagtailapi:statistics:listing")).json()
    department = next(row for row in data["departments"] if row["code"] == "59")
    assert department["people"] == "< 10"
    assert data["suppression"]["people_threshold"] == 10


# --- Cache and query counts ---------------------------------------------------------------------


def test_statistics_are_cached_in_the_shared_cache(open_sites, django_assert_num_queries):
    first = statistics.public_statistics()
    SitePageFactory(people=100)
    with django_assert_num_queries(1):  # one read of the shared cache table
        again = statistics.public_statistics()
    assert again.data == first.data
    fresh = statistics.public_statistics(refresh=True)
    assert fresh.data["totals"]["open_sites"] == first.data["totals"]["open_sites"] + 1


def _queries(callable_):
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_data(departments):
    SitePageFactory(people=20)
    closed_site(year=this_year(), solutions=[(SolutionType.HOUSING, 10)])
    small = _queries(statistics.compute)
    for index in range(12):
        SitePageFactory(
            commune=CommuneFactory(department=departments[index % 2]), people=10 + index
        ).save_revision(user=UserFactory())
        closed_site(year=this_year() - index % 3, solutions=[(SolutionType.ASYLUM, 12)])
    large = _queries(statistics.compute)
    assert small == large


def test_the_page_shows_when_the_figures_were_computed(client, open_sites):
    page = add_page(StatisticsPage, title="Statistiques", slug="statistiques")
    response = client.get(page.url)
    assert response.status_code == 200
    computed = response.context["stats"].computed_at
    assert abs((timezone.now() - computed).total_seconds()) < 60
    assert f'href="{reverse("wagtailapi:statistics:csv")}"' in response.content.decode()


# --- Department map -----------------------------------------------------------------------------


def _map_svg(html: str) -> str:
    start = html.index('<svg class="stats-map__svg"')
    return html[start : html.index("</svg>", start)]


def test_the_page_draws_the_department_map(client, open_sites):
    page = add_page(StatisticsPage, title="Statistiques", slug="statistiques")
    html = client.get(page.url).content.decode()
    svg = _map_svg(html)

    assert 'role="img"' in svg and 'aria-labelledby="stats-map-title"' in svg
    assert '<title id="stats-map-title">' in svg
    assert 'href="#departements-table"' in html and 'id="departements-table"' in html
    assert "svg-maps (Victor Cazanave)" in html and "CC BY 4.0" in html
    assert "css/statistics-map" in html
    # one circle per department with people: Rhône (143) and Nord (42)
    assert svg.count('<circle class="stats-map__symbol"') == 2
    assert "Rhône (69)" in svg and "143" in svg
    assert "stats-map__shape--suppressed" not in svg
    assert 'class="stats-map__zoom"' in svg  # Paris and its inner ring, enlarged
    # numbers are not localised inside the SVG (a decimal comma would break the geometry)
    assert re.search(r'(?:cx|cy|r)="[\d.]*,', svg) is None
    for site in open_sites:
        assert site.name not in html and site.address not in html


def test_the_map_hatches_suppressed_departments_without_circles(client, small_department):
    page = add_page(StatisticsPage, title="Statistiques", slug="statistiques")
    svg = _map_svg(client.get(page.url).content.decode())
    assert '<circle class="stats-map__symbol"' not in svg
    assert svg.count("stats-map__shape--suppressed") == 2  # Rhône and Nord (complementary)
    assert "&lt; 10" in svg


def test_the_page_query_count_is_flat_with_the_map(client, departments):
    page = add_page(StatisticsPage, title="Statistiques", slug="statistiques")
    SitePageFactory(commune=CommuneFactory(department=departments[0]), people=40)

    def page_queries():
        statistics.clear_cache()
        client.get(page.url)  # computes and caches the figures, warms Wagtail's caches
        with CaptureQueriesContext(connection) as context:
            response = client.get(page.url)
        assert "stats-map__svg" in response.content.decode()
        return len(context.captured_queries)

    small = page_queries()
    for index, code in enumerate(("13", "33", "93", "2A", "974")):
        department = DepartmentFactory(code=code, name=f"Département {code}")
        for people in (20, 30, 40 + index):
            SitePageFactory(commune=CommuneFactory(department=department), people=people)
    large = page_queries()
    assert small == large
