"""A correspondent creates an action on two sites, fills in last year's indicators, posts in the
action's journal and sees the action and the message on both site pages; axe finds no violation
on the list, the detail (with its journal) and the forms."""

import datetime

import pytest
from django.utils import timezone

from actions.models import Action, ActionIndicators
from directory.enums import Role
from journal.models import Entry
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    UserFactory,
    give_area,
)
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def tick(page, name, value):
    """Tick a DSFR checkbox or radio button on its label, as a person does."""
    input_id = page.locator(f"input[name={name}][value={value}]").get_attribute("id")
    page.locator(f"label[for={input_id}]").click()


def submit(page, form_id):
    page.locator(f"#{form_id} button[type=submit]").first.click()
    page.wait_for_load_state()


def test_create_an_action_fill_indicators_and_see_it_on_the_sites(live_server, page, axe):
    department = DepartmentFactory(name="Département Parcours")
    commune = CommuneFactory(department=department, name="Bourg-Parcours")
    sites = [
        SitePageFactory(commune=commune, name="Les Saules"),
        SitePageFactory(commune=commune, name="Les Tilleuls"),
    ]
    organization = OrganizationFactory(name="Association Parcours")
    user = UserFactory(email="correspondant@exemple.test", role=Role.CORRESPONDANT)
    give_area(user, department)
    log_in(page, live_server, user.email)
    last_year = timezone.localdate().year - 1

    page.goto(live_server.url + "/actions/")
    assert_no_violation(page, axe)
    page.goto(live_server.url + "/actions/nouvelle/")
    assert_no_violation(page, axe)
    page.fill("#id_name", "Accompagnement Parcours")
    page.fill("#id_goals", "Reloger les familles des deux sites.")
    tick(page, "topics", "housing")
    tick(page, "topics", "school")
    page.fill("#id_started_at", datetime.date(last_year, 1, 15).isoformat())
    page.select_option("#id_department", department.code)
    # The location questions follow the chosen type (static/js/conditional-fields.js).
    tick(page, "location_type", "integration_space")
    assert page.locator("#id_location_address").is_visible()
    assert not page.locator("#id_sites").is_visible()
    assert not page.locator("#id_location_other").is_visible()
    tick(page, "location_type", "sites")
    assert page.locator("#id_sites").is_visible()
    assert not page.locator("#id_location_address").is_visible()
    page.select_option("#id_sites", [str(site.pk) for site in sites])
    page.select_option("#id_operators-0-organization", str(organization.pk))
    submit(page, "action-form")

    action = Action.objects.get(name="Accompagnement Parcours")
    assert set(action.sites.all()) == set(sites)
    assert page.url.endswith(f"/actions/{action.pk}/")
    assert_no_violation(page, axe)

    # Last year's indicators: a broken rule first, then a consistent answer
    page.goto(live_server.url + f"/actions/{action.pk}/indicateurs/{last_year}/")
    assert_no_violation(page, axe)
    page.fill("#id_people", "20")
    page.fill("#id_women", "25")
    submit(page, "indicators-form")
    assert "il ne peut y avoir plus de femmes que de personnes" in page.content()
    assert_no_violation(page, axe)
    page.fill("#id_women", "9")
    page.fill("#id_minors", "8")
    page.fill("#id_school_primary", "5")
    submit(page, "indicators-form")
    row = ActionIndicators.objects.get(action=action, year=last_year)
    assert (row.people, row.women, row.school_primary) == (20, 9, 5)

    # Finances and history
    page.goto(live_server.url + f"/actions/{action.pk}/financements/")
    assert_no_violation(page, axe)
    page.goto(live_server.url + f"/actions/{action.pk}/modifier/")
    assert_no_violation(page, axe)
    page.goto(live_server.url + f"/actions/{action.pk}/historique/")
    assert_no_violation(page, axe)

    # The action's journal: the site journal's block on the action page; post a message there
    page.goto(live_server.url + f"/actions/{action.pk}/")
    assert page.locator("#journal").is_visible()
    form = page.locator("#journal form.journal-form")
    form.locator("#journal_text").fill("Réunion des partenaires : **deux familles** relogées.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    entry = Entry.objects.get(action=action)
    assert entry.site is None
    assert page.url.split("#")[0].endswith(f"/actions/{action.pk}/")
    article = page.locator(f"#journal #message-{entry.pk}")
    assert article.locator("strong").inner_text() == "deux familles"
    assert_no_violation(page, axe, "Accompagnement Parcours")
    page.goto(live_server.url + f"/journal/action/{action.pk}/")
    assert page.locator(f"#message-{entry.pk}").is_visible()
    assert_no_violation(page, axe)

    # Both site pages show the action and its message
    for site in sites:
        page.goto(live_server.url + site.url)
        assert page.locator(f"#actions [data-action='{action.pk}']").is_visible()
        message = page.locator(f"#actions [data-action='{action.pk}'] #action-message-{entry.pk}")
        assert message.is_visible()
        assert "deux familles" in message.inner_text()
        assert_no_violation(page, axe)
