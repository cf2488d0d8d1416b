"""A local administrator logs in for the first time: the platform asks for the second factor,
they type the secret into their app (here: computed from the typed key), confirm a code, keep
their recovery codes and reach their dashboard. axe-core finds no violation on these pages."""

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.enums import Role
from tests.browser.conftest import assert_no_violation
from tests.directory.factories import DEFAULT_PASSWORD, DepartmentFactory, UserFactory, give_area

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_first_login_of_a_local_admin_enrols_the_second_factor(live_server, page, axe):
    user = UserFactory(email="admin-local@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(user, DepartmentFactory(code="69", name="Rhône"))
    page.goto(live_server.url + "/sites/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("main button[type=submit]").click()

    page.wait_for_url("**/mon-compte/double-authentification/**")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Configurer la double authentification"
    )
    assert page.get_by_role("img", name="QR code à scanner").is_visible()
    assert_no_violation(page, axe)
    # "Cannot scan? Type this key": the key shown is the app's secret.
    key = page.locator(".platform-secret code").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    page.get_by_label("Code", exact=True).fill("000000" if totp(secret) != 0 else "000001")
    page.get_by_role("button", name="Activer la double authentification").click()
    assert "Ce code n’est pas celui" in page.locator("main").inner_text()
    assert_no_violation(page, axe)
    # django-otp makes a device wait a second after a wrong code; a person takes longer.
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    page.get_by_label("Code", exact=True).fill(f"{totp(secret):06d}")
    page.get_by_role("button", name="Activer la double authentification").click()

    page.wait_for_url("**/codes-de-secours/")
    assert page.locator(".platform-recovery-codes code").count() == 10
    assert_no_violation(page, axe)
    page.get_by_role("link", name="J’ai conservé mes codes, continuer").click()
    page.wait_for_url("**/sites/")


def test_the_verification_page_has_no_accessibility_violation(live_server, page, axe):
    from tests.browser.conftest import totp_code_of

    user = UserFactory(email="admin@exemple.test", role=Role.NATIONAL_ADMIN)
    totp_code_of(user.email)  # enrolled
    page.goto(live_server.url + "/connexion/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/connexion/verification/**")
    assert_no_violation(page, axe)
    page.get_by_role("button", name="Confirmer").click()  # empty code
    assert_no_violation(page, axe)
