"""Entraide in a browser: a question is asked, answered; axe checks the forum pages."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from machina.core.db.models import get_model

from directory.enums import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Forum = get_model("forum", "Forum")
Topic = get_model("forum_conversation", "Topic")


def log_in(page, live_server, email):
    page.goto(live_server.url + "/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def assert_no_violation(page, axe):
    results = axe.run(page)
    assert results.violations_count == 0, page.url + "\n" + results.generate_report()


@pytest.fixture
def health_forum():
    call_command("load_forum_demo", stdout=StringIO())
    return Forum.objects.get(name="Santé")


def test_a_question_is_asked_then_answered(live_server, page, axe, health_forum):
    UserFactory(email="admin@exemple.test", role=Role.NATIONAL_ADMIN)  # posts without approval
    log_in(page, live_server, "admin@exemple.test")

    page.goto(live_server.url + "/entraide/")
    assert_no_violation(page, axe)
    page.locator("main").get_by_role("link", name="Santé").first.click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)

    create = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": health_forum.slug, "forum_pk": health_forum.pk},
    )
    page.goto(live_server.url + create)
    assert_no_violation(page, axe)
    page.locator("main form").locator("input[name=subject]").fill("Domiciliation des familles")
    page.locator("main form").locator("textarea[name=content]").fill(
        "Quelle structure peut **domicilier** les familles d’un site ?"
    )
    page.locator("main form button[type=submit]:not([name=preview])").click()
    page.wait_for_load_state()

    topic = Topic.objects.get(subject="Domiciliation des familles")
    assert topic.approved
    assert "/entraide/" in page.url
    assert "Domiciliation des familles" in page.locator("main").inner_text()
    assert page.locator("main strong", has_text="domicilier").count() >= 1  # markdown rendered
    assert_no_violation(page, axe)
