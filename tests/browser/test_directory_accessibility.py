"""axe-core finds no violation on the pages of the directory, the charter and the dashboard."""

import pytest

from directory.enums import Role
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
def people():
    department = DepartmentFactory(code="69", name="Rhône", region=RegionFactory(code="84"))
    organization = OrganizationFactory(name="Association Horizons")
    give_area(organization, department)
    admin = UserFactory(email="admin@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(admin, department)
    member = UserFactory(
        email="membre@exemple.test", organization=organization, admin_comments="Note interne"
    )
    newcomer = UserFactory(email="nouveau@exemple.test", charter_version_accepted=None)
    return {"admin": admin, "member": member, "newcomer": newcomer, "organization": organization}


def test_directory_pages_as_an_administrator(live_server, page, axe, people):
    log_in(page, live_server, "admin@exemple.test")
    admin, member = people["admin"], people["member"]
    for path, heading in [
        ("/tableau-de-bord/", f"Bonjour {admin.first_name}"),
        ("/annuaire/", "Annuaire"),
        ("/annuaire/?vue=personnes", "Annuaire"),
        ("/annuaire/?vue=personnes&q=zzzz", "Annuaire"),  # empty state
        (f"/annuaire/organisations/{people['organization'].pk}/", "Association Horizons"),
        # with the administration forms
        (f"/annuaire/personnes/{member.pk}/", member.get_full_name()),
        ("/annuaire/roles/", "Rôles et droits"),
        ("/charte/", "Charte d’engagement"),
    ]:
        page.goto(live_server.url + path)
        assert_no_violation(page, axe, heading)
    # The administration forms of the member's page were there when axe ran.
    page.goto(live_server.url + f"/annuaire/personnes/{member.pk}/")
    assert "Note interne" in page.locator("main").inner_html()


def test_the_charter_gate_page(live_server, page, axe, people):
    log_in(page, live_server, "nouveau@exemple.test")
    assert "/charte/" in page.url
    assert_no_violation(page, axe, "Charte d’engagement")
    page.locator("main button[type=submit]").click()  # without ticking the box: errors shown
    page.wait_for_selector(".fr-input-group--error, .fr-checkbox-group--error, .fr-alert--error")
    assert_no_violation(page, axe, "Charte d’engagement")
