"""axe-core finds no violation on the pages of the directory, the charter and the dashboard."""

import pytest

from directory.enums import Role
from tests.browser.conftest import log_in
from tests.factories import (
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


def assert_no_violation(page, axe):
    results = axe.run(page)
    assert results.violations_count == 0, page.url + "\n" + results.generate_report()


def test_directory_pages_as_an_administrator(live_server, page, axe, people):
    log_in(page, live_server, "admin@exemple.test")
    for path in [
        "/tableau-de-bord/",
        "/annuaire/",
        "/annuaire/?vue=personnes",
        "/annuaire/?vue=personnes&q=zzzz",  # empty state
        f"/annuaire/organisations/{people['organization'].pk}/",
        f"/annuaire/personnes/{people['member'].pk}/",  # with the administration forms
        "/annuaire/roles/",
        "/charte/",
    ]:
        page.goto(live_server.url + path)
        assert_no_violation(page, axe)


def test_the_charter_gate_page(live_server, page, axe, people):
    log_in(page, live_server, "nouveau@exemple.test")
    assert "/charte/" in page.url
    assert_no_violation(page, axe)
    page.locator("main button[type=submit]").click()  # without ticking the box: errors shown
    page.wait_for_selector(".fr-input-group--error, .fr-checkbox-group--error, .fr-alert--error")
    assert_no_violation(page, axe)
