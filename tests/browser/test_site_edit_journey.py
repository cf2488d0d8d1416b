"""A field user declares a site, sees the water questions appear as they answer, edits it, reads
the change in the history and closes the site with solutions; axe checks the forms."""

import datetime

import pytest
from django.utils import timezone

from directory.enums import Role
from sitepages.models import SitePage
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def choose(page, name, value):
    """Tick a DSFR radio button the way a person does: on its label."""
    radio_id = page.locator(f"input[name={name}][value={value}]").get_attribute("id")
    page.locator(f"label[for={radio_id}]").click()


def submit(page, form_id):
    """Click the form's main button (the site form also has one per section)."""
    page.locator(f"#{form_id} button[type=submit]:not([name=section]):visible").first.click()
    page.wait_for_load_state()


def test_declare_edit_history_close(live_server, page, axe):
    department = DepartmentFactory(name="Département Parcours")
    CommuneFactory(department=department, name="Bourg-Parcours")
    user = UserFactory(email="correspondant@exemple.test", role=Role.CORRESPONDANT)
    give_area(user, department)
    log_in(page, live_server, user.email)

    # Declare: the water questions appear only when relevant
    page.goto(live_server.url + "/sites/nouveau/")
    assert_no_violation(page, axe)
    page.fill("#id_name", "Les Saules")
    page.fill("#id_commune", "Bourg-Parcours")
    page.fill("#id_declared_at", (timezone.localdate() - datetime.timedelta(days=2)).isoformat())
    page.fill("#id_people", "30")
    page.fill("#id_households", "8")
    assert page.locator("#row-water_is_public").is_hidden()
    page.select_option("#id_water_access_type", "network_tap")
    assert page.locator("#row-water_is_public").is_visible()
    assert page.locator("#row-water_access_details").is_hidden()
    assert page.locator("#row-water_is_close").is_hidden()
    choose(page, "water_on_site", "False")
    assert page.locator("#row-water_is_close").is_visible()
    page.select_option("#id_water_access_type", "other")
    assert page.locator("#row-water_access_details").is_visible()
    page.select_option("#id_water_access_type", "network_tap")
    assert_no_violation(page, axe)
    submit(page, "site-form")

    site = SitePage.objects.get(name="Les Saules")
    assert site.water_on_site is False and site.people == 30
    assert page.url.rstrip("/").endswith(site.url.rstrip("/"))

    # Edit
    page.locator("#site-edit-link").click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)
    page.fill("#id_people", "42")
    submit(page, "site-form")
    assert SitePage.objects.get(pk=site.pk).people == 42

    # History: the change, field by field
    page.locator("#site-history-link").click()
    page.wait_for_load_state()
    row = page.locator("#site-history tr[data-field=people]").first
    assert "30" in row.inner_text() and "42" in row.inner_text()
    assert_no_violation(page, axe)

    # Close with solutions
    page.goto(live_server.url + site.url)
    page.locator("#site-close-link").click()
    page.wait_for_load_state()
    assert page.locator("#closing-solutions").is_hidden()
    page.select_option("#id_closing_cause", "resorption")
    choose(page, "closed_with_solutions", "True")
    assert page.locator("#closing-solutions").is_visible()
    assert_no_violation(page, axe)
    page.fill("#id_people_housing", "25")
    page.fill("#id_households_housing", "6")
    submit(page, "closing-form")

    site = SitePage.objects.get(pk=site.pk)
    assert site.is_resorbed
    assert [(row.people, row.households) for row in site.closing_solutions.all()] == [(25, 6)]
