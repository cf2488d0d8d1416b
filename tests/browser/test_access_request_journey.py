"""The access request journey: the public form, the local administrator's approval, the
activation link from the email, the password, the charter, the dashboard.

Elements are found by their `name`/`id` attributes, so the test holds with or without the French
catalogue."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from directory.enums import AccessRequestStatus, Role, UserStatus
from directory.models import AccessRequest, User
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import (
    DepartmentFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

APPLICANT = "camille.martin@asso.test"
NEW_PASSWORD = "une-phrase-de-passe-solide"


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")


def link_in(message, path_prefix):
    return re.search(rf"https?://\S+{re.escape(path_prefix)}\S*/", message.body).group(0)


@pytest.fixture
def territory():
    cache.clear()  # the form’s rate limit, the charter version
    region = RegionFactory(code="11", name="Île-de-France")
    department = DepartmentFactory(code="93", name="Seine-Saint-Denis", region=region)
    admin = UserFactory(email="admin93@exemple.test", first_name="Dominique", role=Role.LOCAL_ADMIN)
    give_area(admin, department)
    return {"department": department, "admin": admin, "organization": OrganizationFactory()}


def fill_request_form(page, organization):
    page.fill("input[name=first_name]", "Camille")
    page.fill("input[name=last_name]", "Martin")
    page.fill("input[name=email]", APPLICANT)
    page.fill("input[name=email_confirmation]", APPLICANT)
    page.fill("input[name=phone]", "06 12 34 56 78")
    page.check("input[name=organization_kind][value=existing]", force=True)
    page.select_option("select[name=organization]", str(organization.pk))
    page.fill("input[name=position]", "Coordinatrice")
    page.check("input[name=territory_scope][value=local]", force=True)
    search = page.locator("input[name=territory_search]")
    search.fill("Seine-Saint")
    option = page.locator("#id_territory_listbox [role=option]").first
    option.wait_for()
    option.click()
    assert page.locator("input[name=territory]").input_value() == "department:93"
    page.fill("textarea[name=reason]", "J’accompagne les familles de deux sites de la commune.")
    page.locator("label[for=id_consent]").click()


def test_from_the_public_form_to_the_dashboard(live_server, page, territory):
    # The applicant finds the form from the login page and sends a request.
    page.goto(live_server.url + "/connexion/")
    page.locator("main a[href='/demande-acces/']").click()
    page.wait_for_url("**/demande-acces/")
    fill_request_form(page, territory["organization"])
    page.locator("#access-request-form button[type=submit]").click()
    page.wait_for_url("**/demande-acces/envoyee/")
    access_request = AccessRequest.objects.get(email=APPLICANT)
    assert access_request.department == territory["department"]

    run_worker()
    to_admin = next(message for message in mail.outbox if message.to == ["admin93@exemple.test"])
    request_url = link_in(to_admin, "/administration/demandes-acces/")
    assert request_url.startswith(live_server.url)
    mail.outbox.clear()

    # The local administrator logs in and approves with the suggested role.
    log_in(page, live_server, "admin93@exemple.test")
    page.goto(request_url)
    assert page.locator("select[name=role]").input_value() == Role.OPERATEUR
    page.locator("button[name=approve]").click()
    page.locator("[data-status=approved]").wait_for()
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.APPROVED

    run_worker()
    (approval,) = mail.outbox
    assert approval.to == [APPLICANT]
    activation_url = link_in(approval, "/activation/")

    # The applicant opens the link in their own browser, chooses a password…
    page.context.clear_cookies()
    page.goto(activation_url)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.locator("main button[type=submit]").click()

    # …accepts the charter and reaches the dashboard.
    page.wait_for_url("**/charte/**")
    page.locator("label[for=id_accept]").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/tableau-de-bord/")
    assert "Camille" in page.locator("h1").inner_text()

    user = User.objects.get(email=APPLICANT)
    assert user.status == UserStatus.ACTIVE
    assert user.check_password(NEW_PASSWORD)
    assert user.charter_accepted_at is not None
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.ACTIVATED

    # The link worked once.
    page.context.clear_cookies()
    response = page.goto(activation_url)
    assert response.status == 410


def test_the_request_form_has_no_accessibility_violation(live_server, page, axe, territory):
    page.goto(live_server.url + "/demande-acces/")
    assert_no_violation(page, axe, "Demander un accès à la plateforme")
    page.locator("#access-request-form button[type=submit]").click()
    page.wait_for_selector(".fr-alert--error")
    assert_no_violation(page, axe, "Demander un accès à la plateforme")


def test_the_admin_screens_have_no_accessibility_violation(live_server, page, axe, territory):
    access_request = AccessRequest.objects.create(
        first_name="Camille",
        last_name="Martin",
        email=APPLICANT,
        position="Coordinatrice",
        organization=territory["organization"],
        territory_level="department",
        department=territory["department"],
        reason="Accompagnement social.",
    )
    log_in(page, live_server, "admin93@exemple.test")
    for path, heading in (
        ("/administration/demandes-acces/", "Demandes d’accès"),
        (
            f"/administration/demandes-acces/{access_request.pk}/",
            "Demande d’accès de Camille Martin",
        ),
    ):
        page.goto(live_server.url + path)
        assert_no_violation(page, axe, heading)
    assert "Accompagnement social." in page.locator("main").inner_text()
