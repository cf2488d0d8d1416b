"""A field worker opens a site they may read, becomes one of its actors with a theme, then invites
a partner by email; axe checks the site page and the forms on the way."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from directory.enums import Role, Topic
from sitepages.models import SiteActor
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_tasks():
    call_command("db_worker", queue_name="*", batch=True, startup_delay=False, stdout=StringIO())


def test_a_field_worker_joins_a_site_and_invites_a_partner(live_server, page, axe):
    department = DepartmentFactory(name="Département Acteurs")
    site = SitePageFactory(commune=CommuneFactory(department=department), name="Les Peupliers")
    worker = UserFactory(email="intervenant@exemple.test", role=Role.INTERVENANT)
    give_area(worker, department)
    mail.outbox.clear()
    log_in(page, live_server, worker.email)

    page.goto(live_server.url + site.url)
    assert_no_violation(page, axe)
    page.locator("#site-actor-join").click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)
    page.locator("#actor-join-form button[type=submit]").click()  # no theme: refused
    page.wait_for_load_state()
    assert page.locator("#actor-join-form .fr-error-text, .fr-alert--error").count() >= 1
    assert_no_violation(page, axe)
    checkbox_id = page.locator(f"input[name=themes][value={Topic.HEALTH}]").get_attribute("id")
    page.locator(f"label[for={checkbox_id}]").click()
    page.locator("#actor-join-form button[type=submit]").click()
    page.wait_for_load_state()
    assert SiteActor.objects.get(site=site, user=worker).themes == [Topic.HEALTH]

    # Back on the site page: the worker is listed, and may now invite a partner
    assert page.locator("#site-actor-leave").is_visible()
    assert_no_violation(page, axe)
    page.locator("#site-actor-invite").click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)
    page.fill("#id_email", "partenaire@asso.test")
    page.fill("#id_message", "Nous faisons une maraude santé jeudi.")
    page.locator("#actor-invite-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(site.url.rstrip("/"))
    assert_no_violation(page, axe)

    run_tasks()
    [email] = [message for message in mail.outbox if message.to == ["partenaire@asso.test"]]
    assert "Les Peupliers" not in email.body
    assert "/demande-acces/?invitation=" in email.body
