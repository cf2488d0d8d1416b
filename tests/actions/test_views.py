"""The screens of the actions: list, detail, forms, finances, indicators, history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from actions.enums import ActionTopic, LocationType
from actions.models import Action, ActionFinance, ActionIndicators, ActionRevision
from directory.enums import Role
from tests.actions.bulk import bulk_actions
from tests.actions.factories import ActionFactory
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    UserFactory,
    give_area,
)
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


def member(role, area, **kwargs):
    user = UserFactory(role=role, **kwargs)
    give_area(user, area)
    return user


@pytest.fixture
def department():
    return DepartmentFactory()


def create_data(department, organization, pilot, sites=(), **extra):
    data = {
        "name": "Accompagnement vers le logement",
        "goals": "Reloger les familles",
        "topics": [ActionTopic.HOUSING, ActionTopic.SCHOOL],
        "started_at": "2024-02-01",
        "ended_at": "",
        "department": department.pk,
        "location_type": LocationType.SITES,
        "location_address": "",
        "location_commune": "",
        "location_other": "",
        "sites": [site.pk for site in sites],
        "pilots": pilot.email,
        "operators-TOTAL_FORMS": "2",
        "operators-INITIAL_FORMS": "0",
        "operators-0-organization": organization.pk,
        "operators-0-is_principal": "on",
        "operators-1-organization": "",
    }
    data.update(extra)
    return data


# --- Create, edit, history ----------------------------------------------------------------------


def test_a_correspondent_creates_an_action_on_two_sites(client, department):
    commune = CommuneFactory(department=department)
    sites = [SitePageFactory(commune=commune), SitePageFactory(commune=commune)]
    user = member(Role.CORRESPONDANT, department)
    organization = OrganizationFactory()
    client.force_login(user)
    response = client.post(
        reverse("actions:create"), create_data(department, organization, user, sites)
    )
    assert response.status_code == 302, response.context["form"].errors
    action = Action.objects.get()
    assert set(action.sites.all()) == set(sites)
    assert list(action.pilots.all()) == [user]
    assert action.operator_rows.get().is_principal
    assert ActionRevision.objects.filter(action=action).count() == 1
    assert ModelLogEntry.objects.filter(action="actions.create", object_id=str(action.pk)).exists()
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Accompagnement vers le logement" in page.content.decode()


def test_the_form_reports_the_principal_operator_rule_in_french(client, department):
    user = member(Role.CORRESPONDANT, department)
    client.force_login(user)
    data = create_data(
        department,
        OrganizationFactory(),
        user,
        location_type=LocationType.OTHER,
        location_other="Ailleurs",
    )
    data.update(
        {"operators-0-is_principal": "", "operators-1-organization": OrganizationFactory().pk}
    )
    response = client.post(reverse("actions:create"), data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "Choisissez exactement un opérateur principal." in response.content.decode()
    assert not Action.objects.exists()


def test_the_form_refuses_sites_of_another_department(client, department):
    user = member(Role.NATIONAL_ADMIN, None)
    client.force_login(user)
    other_site = SitePageFactory()
    data = create_data(department, OrganizationFactory(), user, [other_site])
    response = client.post(reverse("actions:create"), data)
    assert response.status_code == 400
    assert (
        "Choisissez uniquement des sites du département de l’action." in response.content.decode()
    )


def test_an_intervenant_may_not_create(client, department):
    client.force_login(member(Role.INTERVENANT, department))
    assert client.get(reverse("actions:create")).status_code == 403


def test_a_pilot_edits_and_the_history_shows_the_diff(client, department):
    pilot = member(Role.INTERVENANT, department)
    action = ActionFactory(department=department, pilots=[pilot])
    organization = action.operator_rows.get().organization
    client.force_login(pilot)
    data = create_data(
        department,
        organization,
        pilot,
        name="Nouveau nom",
        location_type=LocationType.OTHER,
        location_other="Sur plusieurs lieux",
        started_at="2024-03-01",
        topics=[ActionTopic.HOUSING],
    )
    data["operators-INITIAL_FORMS"] = "1"  # as rendered by the edit form
    response = client.post(reverse("actions:edit", args=[action.pk]), data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["operators"].errors,
        response.context["operators"].non_form_errors(),
    )
    history = client.get(reverse("actions:history", args=[action.pk]))
    html = history.content.decode()
    assert history.status_code == 200
    assert 'data-field="name"' in html
    assert "Nouveau nom" in html


def test_the_edit_form_names_no_site_its_editor_may_not_list(client, department):
    """Found by the whole-platform crawl: the edit form offered the action's sites by their
    names, even to an editor who may not list them. They are not named, and stay linked."""
    from sitepages.models import SitePage

    pilot = member(Role.OPERATEUR, DepartmentFactory())  # a pilot whose own area is elsewhere
    hidden = SitePageFactory(commune=CommuneFactory(department=department), title="Terrain ZZQ")
    assert not SitePage.objects.visible_to(pilot).filter(pk=hidden.pk).exists()
    action = ActionFactory(department=department, pilots=[pilot])
    action.sites.set([hidden])
    organization = action.operator_rows.get().organization
    client.force_login(pilot)
    page = client.get(reverse("actions:edit", args=[action.pk]))
    assert page.status_code == 200
    assert "ZZQ" not in page.content.decode()
    data = create_data(department, organization, pilot, name="Renommée")
    data["operators-INITIAL_FORMS"] = "1"
    response = client.post(reverse("actions:edit", args=[action.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    action.refresh_from_db()
    assert action.name == "Renommée"
    assert list(action.sites.all()) == [hidden]


def test_an_unrelated_reader_may_not_edit(client, department):
    action = ActionFactory(department=department)
    client.force_login(member(Role.INTERVENANT, department))
    assert client.get(reverse("actions:edit", args=[action.pk])).status_code == 403


def test_an_action_out_of_reach_is_not_found(client, department):
    action = ActionFactory(department=department)
    client.force_login(member(Role.INTERVENANT, DepartmentFactory()))
    assert client.get(reverse("actions:detail", args=[action.pk])).status_code == 404


# --- Finances: absent without the right ---------------------------------------------------------


def with_finances(department):
    action = ActionFactory(department=department, started_at=datetime.date(2024, 1, 1))
    ActionFinance.objects.create(
        action=action, year=2024, finance_type="state", planned_amount=123456, comment="SECRET"
    )
    return action


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (Role.LOCAL_ADMIN, True),
        (Role.OPERATEUR, True),
        (Role.PARTENAIRE_INSTITUTIONNEL, False),
        (Role.INTERVENANT, False),
        (Role.OBSERVATEUR_EXTERNE, False),
    ],
)
def test_finances_are_absent_from_the_detail_without_the_right(client, department, role, visible):
    action = with_finances(department)
    client.force_login(member(role, department))
    html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert ("SECRET" in html) is visible
    assert ('id="finances"' in html) is visible
    assert ("123" in html and "456" in html) is visible
    status = client.get(reverse("actions:finances", args=[action.pk])).status_code
    assert status == (200 if visible else 404)


def test_finances_are_absent_from_the_history_without_the_right(client, department):
    pilot = member(Role.INTERVENANT, department)
    action = ActionFactory(
        department=department, pilots=[pilot], started_at=datetime.date(2024, 1, 1)
    )
    client.force_login(pilot)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-year": "2024",
        "form-0-finance_type": "state",
        "form-0-planned_amount": "5000",
        "form-0-spent_amount": "",
        "form-0-comment": "SECRET",
    }
    response = client.post(reverse("actions:finances", args=[action.pk]), data)
    assert response.status_code == 302
    assert ActionFinance.objects.get().planned_amount == 5000
    assert "SECRET" in client.get(reverse("actions:history", args=[action.pk])).content.decode()
    client.force_login(member(Role.INTERVENANT, department))
    html = client.get(reverse("actions:history", args=[action.pk])).content.decode()
    assert "SECRET" not in html
    assert 'data-field="finances"' not in html


def test_a_finance_row_outside_the_years_is_refused(client, department):
    pilot = member(Role.INTERVENANT, department)
    action = ActionFactory(
        department=department,
        pilots=[pilot],
        started_at=datetime.date(2024, 1, 1),
        ended_at=datetime.date(2024, 12, 31),
    )
    client.force_login(pilot)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-year": "2020",
        "form-0-finance_type": "state",
        "form-0-planned_amount": "5000",
    }
    response = client.post(reverse("actions:finances", args=[action.pk]), data)
    assert response.status_code == 400
    assert not ActionFinance.objects.exists()


def test_the_finance_readers_page(client, department):
    pilot = member(Role.INTERVENANT, department)
    action = ActionFactory(department=department, pilots=[pilot])
    client.force_login(pilot)
    response = client.get(reverse("actions:finance_readers", args=[action.pk]))
    assert response.status_code == 200
    assert pilot in response.context["readers"]


# --- Indicators ---------------------------------------------------------------------------------


def test_a_pilot_fills_in_last_years_indicators(client, department):
    pilot = member(Role.INTERVENANT, department)
    action = ActionFactory(
        department=department, pilots=[pilot], started_at=datetime.date(2023, 1, 1)
    )
    client.force_login(pilot)
    url = reverse("actions:indicators", args=[action.pk, 2024])
    response = client.post(url, {"people": "10", "women": "12"})
    assert response.status_code == 400
    assert "2024 : il ne peut y avoir plus de femmes que de personnes." in response.content.decode()
    response = client.post(
        url, {"people": "10", "women": "6", "minors": "3", "school_primary": "2"}
    )
    assert response.status_code == 302
    row = ActionIndicators.objects.get(action=action, year=2024)
    assert (row.people, row.women, row.minors_in_school) == (10, 6, 2)
    html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert 'id="indicators"' in html


def test_no_indicators_for_a_year_outside_the_action(client, department):
    pilot = member(Role.INTERVENANT, department)
    action = ActionFactory(
        department=department, pilots=[pilot], started_at=datetime.date(2024, 1, 1)
    )
    client.force_login(pilot)
    assert client.get(reverse("actions:indicators", args=[action.pk, 2020])).status_code == 404


# --- Pilot requests -----------------------------------------------------------------------------


def test_ask_to_become_a_pilot_and_be_accepted(client, department):
    pilot = member(Role.INTERVENANT, department)
    action = ActionFactory(department=department, pilots=[pilot])
    candidate = member(Role.INTERVENANT, department)
    client.force_login(candidate)
    assert client.post(reverse("actions:pilot_request", args=[action.pk])).status_code == 302
    request = action.pilot_requests.get()
    client.force_login(pilot)
    url = reverse("actions:pilot_request_decide", args=[action.pk, request.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 302
    assert set(action.pilots.all()) == {pilot, candidate}


# --- List ---------------------------------------------------------------------------------------


def test_the_list_filters(client, department):
    user = member(Role.LOCAL_ADMIN, department)
    housing = ActionFactory(department=department, name="Logement d’abord")
    health = ActionFactory(
        department=department,
        name="Santé",
        topics=[ActionTopic.HEALTH],
        started_at=datetime.date(2020, 1, 1),
        ended_at=datetime.date(2020, 12, 31),
    )
    client.force_login(user)

    def names(**params):
        response = client.get(reverse("actions:list"), params)
        assert response.status_code == 200
        return {row["action"].name for row in response.context["page_obj"].rows}

    assert names() == {housing.name, health.name}
    assert names(thematique="health") == {health.name}
    assert names(statut="ended") == {health.name}
    assert names(annee="2020") == {health.name}
    assert names(q="abord") == {housing.name}
    operator = health.operator_rows.get().organization
    assert names(operateur=operator.name) == {health.name}
    assert names(territoire=f"department:{department.code}") == {housing.name, health.name}
    site = SitePageFactory(commune=CommuneFactory(department=department))
    housing.sites.add(site)
    assert names(site=str(site.pk)) == {housing.name}


URLS = {
    "list": lambda: (reverse("actions:list"), {}),
    "list, filtered": lambda: (
        reverse("actions:list"),
        {"thematique": "housing", "statut": "ongoing", "annee": "2024", "operateur": "Asso"},
    ),
    "list, page 2": lambda: (reverse("actions:list"), {"page": "2"}),
}


def count_queries(client, url, params, method="get") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.INTERVENANT])
@pytest.mark.parametrize("case", URLS)
def test_the_list_keeps_a_constant_number_of_queries(client, department, role, case):
    user = member(role, department if role != Role.NATIONAL_ADMIN else None)
    organization = OrganizationFactory(name="Association test")
    site = SitePageFactory(commune=CommuneFactory(department=department))
    client.force_login(user)
    url, params = URLS[case]()
    bulk_actions(10, department=department, organization=organization, pilot=user, sites=[site])
    count_queries(client, url, params)
    small = count_queries(client, url, params)
    bulk_actions(290, department=department, organization=organization, pilot=user, sites=[site])
    assert count_queries(client, url, params) == small


def test_the_detail_keeps_a_constant_number_of_queries(client, department):
    user = member(Role.LOCAL_ADMIN, department)
    organization = OrganizationFactory()
    client.force_login(user)
    (action,) = bulk_actions(1, department=department, organization=organization, pilot=user)
    url = reverse("actions:detail", args=[action.pk])
    count_queries(client, url, {})
    small = count_queries(client, url, {})
    bulk_actions(300, department=department, organization=organization, pilot=user)
    assert count_queries(client, url, {}) == small


# --- The location questions ---------------------------------------------------------------------


def test_the_location_questions_depend_on_the_location_type(client, department):
    """Each location question says which type asks it (hidden by the browser for the others,
    shown without JavaScript), and the offered sites are grouped by department."""
    user = member(Role.LOCAL_ADMIN, department)
    site = SitePageFactory(commune=CommuneFactory(department=department), title="Terrain A")
    client.force_login(user)
    html = client.get(reverse("actions:create")).content.decode()
    assert 'id="action-form" data-conditional-fields' in html
    assert "js/conditional-fields.js" in html
    assert """data-question="sites" data-depends-on="location_type" """ in html
    assert """data-question="location_address" data-depends-on="location_type" """ in html
    assert """data-show-values='["other"]'""" in html
    assert f'<optgroup label="{department.code} — {department.name}">' in html
    assert f'<option value="{site.pk}">Terrain A</option>' in html


def test_the_answers_of_another_location_type_are_not_kept(client, department):
    """Typed while another type was chosen, then the type changed: only the chosen type's
    answers are saved."""
    user = member(Role.LOCAL_ADMIN, department)
    organization = OrganizationFactory()
    site = SitePageFactory(commune=CommuneFactory(department=department))
    client.force_login(user)
    data = create_data(
        department,
        organization,
        user,
        sites=[site],
        location_type=LocationType.OTHER,
        location_other="Dans plusieurs quartiers",
        location_address="12 rue des Lilas",
    )
    response = client.post(reverse("actions:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    action = Action.objects.get()
    assert action.location_other == "Dans plusieurs quartiers"
    assert action.location_address == ""
    assert list(action.sites.all()) == []
