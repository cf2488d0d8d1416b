"""Journeys of issue 22: a user edits their profile and topics and finds themself by topic in
the directory; a local administrator creates an account, the activation email arrives, the
person activates it.

Elements are found by their `name`/`id`/`href` attributes, so the test holds with or without the
French catalogue."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from directory.enums import Role, Topic, UserStatus
from directory.models import User
from tests.browser.conftest import log_in
from tests.directory.factories import (
    DepartmentFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_PASSWORD = "une-phrase-de-passe-solide"


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")


@pytest.fixture
def territory():
    cache.clear()
    region = RegionFactory(code="11", name="Île-de-France")
    department = DepartmentFactory(code="93", name="Seine-Saint-Denis", region=region)
    return {"department": department, "organization": OrganizationFactory()}


def test_a_user_edits_their_profile_and_is_found_by_topic(live_server, page, territory):
    user = UserFactory(email="agent@exemple.test", role=Role.INTERVENANT)
    give_area(user, territory["department"])
    log_in(page, live_server, user.email)
    page.goto(live_server.url + "/mon-compte/")
    page.locator("main a[href='/mon-compte/profil/']").click()
    page.wait_for_url("**/mon-compte/profil/")
    page.fill("input[name=first_name]", "Sacha")
    page.fill("input[name=last_name]", "Bérenger")
    page.fill("input[name=phone]", "+33 6 12 34 56 78")
    page.fill("input[name=position]", "Médiateur scolaire")
    page.check(f"input[name=expertise_topics][value={Topic.MEDIATION}]", force=True)
    page.check(f"input[name=expertise_topics][value={Topic.SCHOOL}]", force=True)
    page.check(f"input[name=interest_topics][value={Topic.HOUSING}]", force=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mon-compte/")
    assert "Bérenger" in page.locator("main").inner_text()
    user.refresh_from_db()
    assert user.phone == "06 12 34 56 78"
    assert sorted(user.expertise_topics) == sorted([Topic.MEDIATION, Topic.SCHOOL])

    page.goto(live_server.url + f"/annuaire/?vue=personnes&thematique={Topic.MEDIATION}")
    link = page.locator(f"main a[href='/annuaire/personnes/{user.pk}/']")
    assert link.count() >= 1


def test_a_local_admin_creates_an_account_and_the_person_activates_it(live_server, page, territory):
    admin = UserFactory(email="admin93@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(admin, territory["department"])
    log_in(page, live_server, admin.email)
    page.goto(live_server.url + "/administration/comptes/")
    page.locator("main a[href='/administration/comptes/creer/']").click()
    page.wait_for_url("**/administration/comptes/creer/")
    page.fill("input[name=first_name]", "Camille")
    page.fill("input[name=last_name]", "Martin")
    page.fill("input[name=email]", "camille.martin@asso.test")
    page.fill("input[name=email_confirmation]", "camille.martin@asso.test")
    page.check("input[name=organization_kind][value=existing]", force=True)
    page.select_option("select[name=organization]", str(territory["organization"].pk))
    page.fill("input[name=position]", "Coordinatrice")
    page.check("input[name=territory_scope][value=local]", force=True)
    page.locator("input[name=territory_search]").fill("Seine-Saint")
    option = page.locator("#id_territory_listbox [role=option]").first
    option.wait_for()
    option.click()
    page.select_option("select[name=role]", Role.INTERVENANT)
    page.locator("#account-create-form button[type=submit]").click()
    created = User.objects.get(email="camille.martin@asso.test")
    page.wait_for_url(f"**/annuaire/personnes/{created.pk}/")
    assert created.status == UserStatus.NEW

    run_worker()
    [email] = [m for m in mail.outbox if m.to == ["camille.martin@asso.test"]]
    link = re.search(r"https?://\S+/activation/\S+/", email.body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    created.refresh_from_db()
    assert created.status == UserStatus.ACTIVE and created.check_password(NEW_PASSWORD)
