"""Journeys that matter for the foundation: log in and out; accessibility of public pages."""

import pytest

from tests.browser.conftest import assert_no_violation
from tests.directory.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_user_logs_in_and_out(live_server, page):
    user = UserFactory(email="agent.prefecture@exemple.test", first_name="Camille")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill("Agent.Prefecture@exemple.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()

    page.wait_for_url("**/tableau-de-bord/")
    page.get_by_role("link", name="Mon compte").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mon compte"
    assert user.email in page.locator("main").inner_text()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Se connecter").first.is_visible()
    page.goto(live_server.url + "/mon-compte/")
    assert "/connexion/" in page.url


def test_a_wrong_password_is_explained_in_french(live_server, page):
    UserFactory(email="agent@exemple.test")
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique").fill("agent@exemple.test")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.locator("main").get_by_role("button", name="Se connecter").click()
    alert = page.get_by_role("alert")
    assert "Adresse électronique ou mot de passe incorrect." in alert.inner_text()


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/", None),
        ("/connexion/", "Se connecter"),
        ("/mot-de-passe-oublie/", "Mot de passe oublié"),
    ],
)
def test_public_pages_have_no_accessibility_violation(live_server, page, axe, path, heading):
    page.goto(live_server.url + path)
    assert_no_violation(page, axe, heading)


def test_login_page_with_errors_has_no_accessibility_violation(live_server, page, axe):
    page.goto(live_server.url + "/connexion/")
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_selector(".fr-alert--error")
    assert_no_violation(page, axe, "Se connecter")


def test_axe_does_report_a_violation_when_there_is_one(page, axe):
    # Guards the two tests above: an image without text alternative must be caught.
    page.set_content('<html lang="fr"><head><title>t</title></head><body><img src="x.png"></body>')
    assert axe.run(page).violations_count > 0


def test_account_page_has_no_accessibility_violation(live_server, page, axe):
    UserFactory(email="lecteur@exemple.test")
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique").fill("lecteur@exemple.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/tableau-de-bord/")
    assert_no_violation(page, axe, "Bonjour")
    page.goto(live_server.url + "/mon-compte/")
    assert_no_violation(page, axe, "Mon compte")
