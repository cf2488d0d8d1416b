"""A local administrator creates, edits and deactivates an organisation in the directory; axe-core
finds no violation on the form (empty, with errors, filled) nor on the confirmation."""

import pytest
from playwright.sync_api import expect

from directory.enums import Role
from directory.models import Organization
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import (
    DepartmentFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def admin():
    department = DepartmentFactory(code="69", name="Rhône", region=RegionFactory(code="84"))
    existing = OrganizationFactory(name="Association Horizons")
    give_area(existing, department)
    user = UserFactory(email="admin-local@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(user, department)
    return user


def test_local_admin_manages_an_organization(live_server, page, axe, admin):
    log_in(page, live_server, "admin-local@exemple.test")
    page.goto(live_server.url + "/annuaire/")
    page.locator("main a[href='/annuaire/organisations/ajouter/']").click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)

    # A name already used in the department: refused, explained next to the field.
    page.fill("#id_name", "association horizons")
    page.select_option("#id_category", "association")
    page.select_option("#id_type", label="Association")
    page.fill("#id_main_area", "Rhône")
    page.locator("#organization-form button[type=submit]").click()
    page.wait_for_selector("#id_name.fr-input--error, .fr-input-group--error")
    assert Organization.objects.count() == 1
    assert_no_violation(page, axe)

    page.fill("#id_name", "Collectif Solidarité Rhône")
    page.fill("#id_main_area", "Rhône")
    page.locator("#organization-form button[type=submit]").click()
    page.wait_for_url("**/annuaire/organisations/*/")
    organization = Organization.objects.get(name="Collectif Solidarité Rhône")
    assert organization.intervention_areas.get().department_id == "69"
    assert_no_violation(page, axe)

    # The edit form shows the current values.
    page.locator("#organization-actions a").first.click()
    page.wait_for_load_state()
    assert page.input_value("#id_name") == "Collectif Solidarité Rhône"
    assert_no_violation(page, axe)

    # Deactivation: the dialog explains the consequence and asks for a reason.
    page.goto(live_server.url + f"/annuaire/organisations/{organization.pk}/")
    page.locator("#organization-actions button").click()
    dialog = page.locator("#modal-deactivate-organization")
    dialog.wait_for(state="visible")
    # Let the opening transition end: axe would measure half-faded colours.
    page.wait_for_selector("#modal-deactivate-organization.fr-modal--opened")
    expect(page.locator("#modal-deactivate-organization")).to_have_css("opacity", "1")
    page.wait_for_timeout(500)
    assert_no_violation(page, axe)
    dialog.locator("textarea").fill("Collectif dissous")
    dialog.locator("button[type=submit]").click()
    page.wait_for_load_state()
    organization.refresh_from_db()
    assert organization.is_active is False
    assert_no_violation(page, axe)
