"""The directory ("Annuaire"): who sees what, search and filters, pagination, constant queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.enums import OrganizationCategory, Role, Topic, UserStatus
from directory.models import InterventionArea, Organization, OrganizationType, User
from directory.permission_matrix import ROLE_ORDER, Feature
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("directory_index")


def organization_url(organization):
    return reverse("directory_organization", args=[organization.pk])


def person_url(person):
    return reverse("directory_person", args=[person.pk])


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def result_count(response) -> int:
    return response.context["page_obj"].paginator.count


def listed(response) -> list:
    return list(response.context["page_obj"].object_list)


def national_admin():
    admin = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(admin, None)
    return admin


@pytest.fixture
def viewer(client):
    """An ordinary logged-in user (field worker)."""
    user = UserFactory(role=Role.INTERVENANT, first_name="Vera", last_name="Viewer")
    client.force_login(user)
    return user


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["index", "organization", "person", "roles"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    person = UserFactory(first_name="Secrète", last_name="Personne")
    urls = {
        "index": INDEX,
        "organization": organization_url(OrganizationFactory()),
        "person": person_url(person),
        "roles": reverse("directory_roles"),
    }
    for url in (urls[name], f"{urls[name]}?vue=personnes"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert "Personne" not in client.get(INDEX, follow=True).content.decode()


def test_the_header_links_to_the_directory_for_logged_in_users_only(client):
    assert f'href="{INDEX}"' not in client.get(reverse("login")).content.decode()
    client.force_login(UserFactory())
    assert f'href="{INDEX}"' in html_of(client.get(INDEX))


def test_a_user_denied_the_directory_by_an_exception_gets_a_403(client, viewer):
    from directory.models import PermissionException

    PermissionException.objects.create(user=viewer, feature=Feature.USER_LIST, scope="none")
    response = client.get(INDEX)
    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]


# --- Organisations ------------------------------------------------------------------------------


def test_organisations_are_listed_with_their_counts_but_not_the_inactive_ones(client, viewer):
    active = OrganizationFactory(name="Association Alpha")
    OrganizationFactory(name="Association Fermée", is_active=False)
    UserFactory.create_batch(3, organization=active)
    UserFactory(organization=active, status=UserStatus.INACTIVE, is_active=False)
    UserFactory(organization=active, status=UserStatus.NEW)
    response = client.get(INDEX)
    html = html_of(response)
    assert "Association Alpha" in html
    assert "Association Fermée" not in html
    organization = next(o for o in listed(response) if o.pk == active.pk)
    assert organization.member_count == 3


def test_admins_may_include_inactive_organisations(client):
    client.force_login(national_admin())
    OrganizationFactory(name="Association Fermée", is_active=False)
    assert "Association Fermée" not in html_of(client.get(INDEX))
    assert "Association Fermée" in html_of(client.get(INDEX, {"inactifs": "on"}))


def test_ordinary_users_cannot_include_inactive_ones(client, viewer):
    OrganizationFactory(name="Association Fermée", is_active=False)
    response = client.get(INDEX, {"inactifs": "on"})
    assert "Association Fermée" not in html_of(response)
    assert "inactifs" not in response.context["form"].fields


@pytest.mark.parametrize("query", ["herault", "HÉRAULT", "préfecture de l herault", "PREF-34"])
def test_organisation_search_ignores_accents_and_case(client, viewer, query):
    OrganizationFactory(name="Préfecture de l’Hérault", abbreviation="PREF-34")
    OrganizationFactory(name="Association des Landes")
    response = client.get(INDEX, {"q": query})
    assert [o.name for o in listed(response)] == ["Préfecture de l’Hérault"]


def test_organisations_are_filtered_by_category(client, viewer):
    OrganizationFactory(name="Association Alpha")
    OrganizationFactory(
        name="Préfecture du Gers",
        category=OrganizationCategory.ADMINISTRATION,
        type=OrganizationType.objects.order_by("pk").first(),
    )
    response = client.get(INDEX, {"categorie": OrganizationCategory.ADMINISTRATION})
    assert [o.name for o in listed(response)] == ["Préfecture du Gers"]


@pytest.fixture
def map_of_france():
    """Two regions; department d1 holds commune c1 (in EPCI e1); d2 is in another region."""
    r1, r2 = RegionFactory(name="Occitanie"), RegionFactory(name="Bretagne")
    d1 = DepartmentFactory(code="34", name="Hérault", region=r1)
    d1b = DepartmentFactory(code="30", name="Gard", region=r1)
    d2 = DepartmentFactory(code="29", name="Finistère", region=r2)
    e1 = EpciFactory(name="Montpellier Méditerranée Métropole")
    c1 = CommuneFactory(code="34172", name="Montpellier", department=d1, epci=e1)
    c2 = CommuneFactory(code="29019", name="Brest", department=d2)
    return {"r1": r1, "r2": r2, "d1": d1, "d1b": d1b, "d2": d2, "e1": e1, "c1": c1, "c2": c2}


HERAULT_ACTORS = {"Asso Montpellier", "Asso Hérault", "Asso Occitanie", "Asso Métropole"}


@pytest.mark.parametrize(
    ("level", "key", "expected"),
    [
        ("department", "d1", HERAULT_ACTORS),
        ("department", "d2", {"Asso Brest"}),
        ("department", "d1b", {"Asso Occitanie"}),
        ("region", "r1", HERAULT_ACTORS),
        ("region", "r2", {"Asso Brest"}),
        ("commune", "c1", HERAULT_ACTORS),
        ("epci", "e1", HERAULT_ACTORS),
    ],
)
def test_organisations_are_filtered_by_territory(
    client, viewer, map_of_france, level, key, expected
):
    """Those acting in the territory: areas inside it and wider areas holding it (not the
    nation, which holds everything)."""
    m = map_of_france
    for name, area in [
        ("Asso Montpellier", m["c1"]),
        ("Asso Hérault", m["d1"]),
        ("Asso Occitanie", m["r1"]),
        ("Asso Métropole", m["e1"]),
        ("Asso Brest", m["c2"]),
        ("Asso Nationale", None),
    ]:
        give_area(OrganizationFactory(name=name), area)
    response = client.get(INDEX, {"territoire": f"{level}:{m[key].code}"})
    assert response.context["form"].errors == {}
    assert {o.name for o in listed(response)} == expected


def test_acting_in_querysets(map_of_france):
    """The rule the territory filter runs on: areas inside the territory or holding it, never
    the nation; a commune without EPCI does not match every area without one; people by their
    own areas, else by their organisation's."""
    m = map_of_france
    organizations = {}
    for name, area in [
        ("Montpellier", m["c1"]),
        ("Hérault", m["d1"]),
        ("Occitanie", m["r1"]),
        ("Métropole", m["e1"]),
        ("Brest", m["c2"]),
        ("Finistère", m["d2"]),
        ("Nationale", None),
    ]:
        organizations[name] = OrganizationFactory(name=name)
        give_area(organizations[name], area)

    def names(queryset):
        return {str(item) for item in queryset}

    assert names(Organization.objects.acting_in(m["c2"])) == {"Brest", "Finistère"}
    assert names(Organization.objects.acting_in(m["c1"])) == {
        "Montpellier",
        "Hérault",
        "Occitanie",
        "Métropole",
    }
    assert names(Organization.objects.acting_in(m["d1b"])) == {"Occitanie"}
    areas = InterventionArea.objects.acting_in(m["e1"]).select_related("organization")
    assert {area.organization.name for area in areas} == {
        "Montpellier",
        "Hérault",
        "Occitanie",
        "Métropole",
    }
    own = UserFactory(organization=organizations["Finistère"], last_name="Propre")
    give_area(own, m["d1"])
    UserFactory(organization=organizations["Finistère"], last_name="Organisation")
    assert {user.last_name for user in User.objects.acting_in(m["d1"])} == {"Propre"}
    assert {user.last_name for user in User.objects.acting_in(m["d2"])} == {"Organisation"}
    with pytest.raises(TypeError):
        InterventionArea.objects.acting_in(organizations["Brest"])


def test_epci_filter(client, viewer, map_of_france):
    m = map_of_france
    give_area(OrganizationFactory(name="Asso Montpellier"), m["c1"])
    give_area(OrganizationFactory(name="Asso Gard"), m["d1b"])
    response = client.get(INDEX, {"territoire": f"epci:{m['e1'].code}"})
    assert {o.name for o in listed(response)} == {"Asso Montpellier"}


def test_organisation_page(client, viewer, map_of_france):
    organization = OrganizationFactory(
        name="Association Solidarité",
        abbreviation="ASOL",
        is_state_funded=True,
        state_funded_year=2021,
    )
    give_area(organization, map_of_france["d1"])
    give_area(organization, map_of_france["c2"], is_main=False)
    UserFactory(organization=organization, first_name="Anna", last_name="Active", position="Cheffe")
    UserFactory(
        organization=organization,
        first_name="Ivan",
        last_name="Inactif",
        status=UserStatus.INACTIVE,
        is_active=False,
    )
    html = html_of(client.get(organization_url(organization)))
    for expected in ["Association Solidarité", "ASOL", "2021", "Hérault (34)", "Brest (29)"]:
        assert expected in html
    assert "Anna Active" in html and "Cheffe" in html
    assert "Inactif" not in html


def test_an_inactive_organisation_is_hidden_from_ordinary_users(client, viewer):
    organization = OrganizationFactory(is_active=False)
    assert client.get(organization_url(organization)).status_code == 404
    client.force_login(national_admin())
    assert client.get(organization_url(organization)).status_code == 200


def test_unknown_pages_are_404(client, viewer):
    for url in [
        "/annuaire/organisations/999999/",
        "/annuaire/personnes/999999/",
        "/annuaire/personnes/99999999999999999999/",
        "/annuaire/organisations/abc/",
    ]:
        assert client.get(url).status_code == 404


# --- People -------------------------------------------------------------------------------------


def test_people_are_listed_without_the_inactive_or_new_accounts(client, viewer):
    UserFactory(first_name="Paula", last_name="Présente")
    UserFactory(first_name="Igor", last_name="Inactif", status=UserStatus.INACTIVE, is_active=False)
    UserFactory(first_name="Nina", last_name="Nouvelle", status=UserStatus.NEW)
    html = html_of(client.get(INDEX, {"vue": "personnes"}))
    assert "Paula Présente" in html
    assert "Inactif" not in html and "Nouvelle" not in html


def test_admins_may_list_inactive_people(client):
    client.force_login(national_admin())
    UserFactory(first_name="Igor", last_name="Inactif", status=UserStatus.INACTIVE, is_active=False)
    assert "Inactif" not in html_of(client.get(INDEX, {"vue": "personnes"}))
    assert "Inactif" in html_of(client.get(INDEX, {"vue": "personnes", "inactifs": "on"}))


@pytest.mark.parametrize("query", ["elodie", "DUPRE", "Élodie Dupré", "dupré"])
def test_people_search_ignores_accents_and_case(client, viewer, query):
    UserFactory(first_name="Élodie", last_name="Dupré")
    UserFactory(first_name="Marc", last_name="Martin")
    response = client.get(INDEX, {"vue": "personnes", "q": query})
    assert [p.last_name for p in listed(response)] == ["Dupré"]


def test_people_are_filtered_by_own_areas_or_else_their_organisation(client, viewer, map_of_france):
    m = map_of_france
    herault_org = OrganizationFactory(name="Asso Hérault")
    give_area(herault_org, m["d1"])
    UserFactory(organization=herault_org, last_name="Sansaire")  # uses the organisation's area
    elsewhere = UserFactory(organization=herault_org, last_name="Ailleurs")
    give_area(elsewhere, m["d2"])  # own areas win over the organisation's
    commune_user = UserFactory(last_name="Communal")
    give_area(commune_user, m["c1"])
    response = client.get(INDEX, {"vue": "personnes", "territoire": "department:34"})
    assert {p.last_name for p in listed(response)} == {"Sansaire", "Communal"}
    response = client.get(INDEX, {"vue": "personnes", "territoire": "department:29"})
    assert {p.last_name for p in listed(response)} == {"Ailleurs"}


def test_people_are_filtered_by_topic_and_organisation_category(client, viewer):
    association = OrganizationFactory()
    UserFactory(last_name="Santé", expertise_topics=[Topic.HEALTH], organization=association)
    UserFactory(last_name="Logement", expertise_topics=[Topic.HOUSING, Topic.SCHOOL])
    response = client.get(INDEX, {"vue": "personnes", "thematique": Topic.SCHOOL})
    assert [p.last_name for p in listed(response)] == ["Logement"]
    response = client.get(
        INDEX, {"vue": "personnes", "categorie": OrganizationCategory.ASSOCIATION}
    )
    assert [p.last_name for p in listed(response)] == ["Santé"]


def test_person_page_shows_the_profile(client, viewer, map_of_france):
    organization = OrganizationFactory(name="Association Solidarité")
    give_area(organization, map_of_france["d2"])
    person = UserFactory(
        first_name="Léa",
        last_name="Martin",
        email="lea.martin@exemple.test",
        phone="01 02 03 04 05",
        position="Médiatrice",
        role=Role.OPERATEUR,
        organization=organization,
        expertise_topics=[Topic.HEALTH, Topic.MEDIATION],
        admin_comments="Commentaire très confidentiel",
    )
    response = client.get(person_url(person))
    html = html_of(response)
    for expected in [
        "Léa Martin",
        'href="mailto:lea.martin@exemple.test"',
        'href="tel:0102030405"',
        "Médiatrice",
        "Association Solidarité",
        "Finistère (29)",  # the organisation's area, as the person has none
        str(Role.OPERATEUR.label),
        str(Topic.HEALTH.label),
        str(Topic.MEDIATION.label),
    ]:
        assert expected in html, expected
    assert response.context["areas_are_own"] is False
    assert "Commentaire très confidentiel" not in html
    assert 'id="admin-comments"' not in html and 'id="account-admin"' not in html
    assert 'id="account-history"' not in html

    give_area(person, map_of_france["c1"])
    response = client.get(person_url(person))
    assert "Montpellier (34)" in html_of(response)
    assert "Finistère (29)" not in html_of(response)
    assert response.context["areas_are_own"] is True


def test_admin_comments_are_shown_to_the_admins_of_the_territory_only(client, map_of_france):
    person = UserFactory(admin_comments="Commentaire très confidentiel")
    give_area(person, map_of_france["d1"])
    inside = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(inside, map_of_france["r1"])
    outside = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(outside, map_of_france["d2"])
    for admin, shown in [(national_admin(), True), (inside, True), (outside, False)]:
        client.force_login(admin)
        assert ("Commentaire très confidentiel" in html_of(client.get(person_url(person)))) is shown


def test_inactive_people_are_hidden_from_ordinary_users(client, viewer):
    person = UserFactory(status=UserStatus.INACTIVE, is_active=False)
    assert client.get(person_url(person)).status_code == 404
    client.force_login(national_admin())
    assert client.get(person_url(person)).status_code == 200


# --- Pagination and malformed input -------------------------------------------------------------


def test_pagination_shows_twenty_per_page(client, viewer):
    UserFactory.create_batch(44)  # + the viewer = 45
    first = client.get(INDEX, {"vue": "personnes"})
    assert result_count(first) == 45
    assert len(listed(first)) == 20
    assert 'class="fr-pagination"' in html_of(first)
    third = client.get(INDEX, {"vue": "personnes", "page": "3"})
    assert len(listed(third)) == 5
    names = {p.pk for p in listed(first)} | {p.pk for p in listed(third)}
    assert len(names) == 25


@pytest.mark.parametrize(
    "page", ["abc", "", "0", "-1", "1.5", "99999", "9" * 40, "%00", "\x00", "１", "2 OR 1=1"]
)
def test_malformed_page_numbers_fall_back_to_an_existing_page(client, viewer, page):
    UserFactory.create_batch(25)
    for vue in ("organisations", "personnes"):
        response = client.get(INDEX, {"vue": vue, "page": page})
        assert response.status_code == 200
        assert response.context["page_obj"].number in (1, 2)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "x" * 10_000}, "q"),
        ({"q": "abc\x00def"}, "q"),
        ({"territoire": "department:ZZ9"}, "territoire"),
        ({"territoire": "planet:earth"}, "territoire"),
        ({"territoire": "x" * 10_000}, "territoire"),
        ({"categorie": "aliens"}, "categorie"),
        ({"thematique": ["health", "nope"]}, "thematique"),
        ({"vue": "everything"}, "vue"),
        # The territory typed without choosing a suggestion is reported on the territory.
        ({"territoire_search": "Nulle Part Sur Terre"}, "territoire"),
        ({"inactifs": "\x00"}, None),  # only offered to administrators: ignored
    ],
)
def test_malformed_filters_are_reported_never_fatal(client, viewer, params, field):
    for vue in ("organisations", "personnes"):
        unfiltered = result_count(client.get(INDEX, {"vue": vue}))
        response = client.get(INDEX, {"vue": vue, **params})
        html = html_of(response)  # a 200
        errors = response.context["form"].errors
        if field is None:
            assert not errors, errors
        else:
            assert list(errors) == [field], errors
            assert 'class="fr-alert fr-alert--error' in html  # reported to the user
        if field != "vue":
            assert result_count(response) == unfiltered  # and ignored


def test_an_invalid_filter_is_ignored_and_reported(client, viewer):
    UserFactory(last_name="Trouvable")
    response = client.get(INDEX, {"vue": "personnes", "q": "x" * 10_000})
    assert "q" in response.context["form"].errors
    assert result_count(response) == 2
    assert 'class="fr-alert fr-alert--error' in html_of(response)


def test_empty_results_show_an_empty_state(client, viewer):
    response = client.get(INDEX, {"vue": "personnes", "q": "zzzzzz"})
    html = html_of(response)
    assert result_count(response) == 0
    assert 'class="fr-callout"' in html
    assert "<table" not in html


# --- Role matrix --------------------------------------------------------------------------------


def test_the_role_matrix_is_for_admins(client, viewer):
    url = reverse("directory_roles")
    assert client.get(url).status_code == 403
    client.force_login(national_admin())
    html = html_of(client.get(url))
    assert "<caption>" in html
    assert html.count('<th scope="col">') == len(ROLE_ORDER) + 1
    assert html.count('<th scope="row">') == len(Feature)
    for role in ROLE_ORDER:
        assert str(Role(role).label) in html
    # Scopes are written as words inside badges, not conveyed by colour alone.
    cells = re.findall(r'<p class="fr-badge[^"]*">\s*([^<]+?)\s*</p>', html)
    assert len(cells) == len(ROLE_ORDER) * len(Feature)
    assert all(cell.strip() for cell in cells)


# --- Constant number of queries -----------------------------------------------------------------


def populate(count, *, department, organization, person):
    """`count` organisations with an area each, and `count` users in `organization` (half of them
    with own areas), plus `count` areas for `person`."""
    for _ in range(count):
        give_area(OrganizationFactory(), department)
    for index in range(count):
        member = UserFactory(organization=organization, expertise_topics=[Topic.HEALTH])
        if index % 2:
            give_area(member, CommuneFactory(department=department))
    for _ in range(count):
        give_area(person, CommuneFactory(department=department), is_main=False)


def queries_for(client, url) -> int:
    client.get(url)  # warm-up: session, last access, content types
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("viewer_kind", ["ordinary", "national admin", "local admin"])
def test_queries_do_not_grow_with_the_number_of_users(client, viewer_kind):
    department = DepartmentFactory()
    organization = OrganizationFactory(name="Grande association")
    give_area(organization, department)
    person = UserFactory(organization=organization, admin_comments="Note")
    give_area(person, department)
    if viewer_kind == "national admin":
        client.force_login(national_admin())
    elif viewer_kind == "local admin":
        local_admin = UserFactory(role=Role.LOCAL_ADMIN)
        give_area(local_admin, department)
        client.force_login(local_admin)
    else:
        client.force_login(UserFactory())
    urls = {
        "organisations": INDEX,
        "organisations filtered": f"{INDEX}?territoire=department:{department.code}&q=asso",
        "people": f"{INDEX}?vue=personnes",
        "people filtered": f"{INDEX}?vue=personnes&territoire=department:{department.code}"
        f"&thematique=health",
        "organisation page": organization_url(organization),
        "person page": person_url(person),
    }

    populate(10, department=department, organization=organization, person=person)
    for url in urls.values():  # warm the per-process caches (charter version, site root)
        queries_for(client, url)
    small = {name: queries_for(client, url) for name, url in urls.items()}
    populate(190, department=department, organization=organization, person=person)
    # Creating the rows may outlast the one-minute caches: warm them again. A query per row
    # would still show on every request.
    for url in urls.values():
        queries_for(client, url)
    large = {name: queries_for(client, url) for name, url in urls.items()}

    assert large == small
    assert max(small.values()) <= 20, small
