import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from directory.models import User
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_email_is_the_login_whatever_its_case(client, user, password):
    response = login(client, user.email.upper(), password)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    page = client.get(reverse("account"))
    assert user.email in page.content.decode()


def test_emails_are_unique_without_regard_to_case(user):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create_user(email=user.email.upper(), first_name="A", last_name="B")


def test_wrong_password_shows_a_french_error_and_keeps_the_email(client, user):
    response = login(client, user.email, "mauvais")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adresse électronique ou mot de passe incorrect." in html
    assert f'value="{user.email}"' in html
    assert "_auth_user_id" not in client.session


def test_inactive_account_cannot_log_in(client, password):
    inactive = UserFactory(is_active=False)
    response = login(client, inactive.email, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post_and_ends_the_session(client, user):
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_account_page_requires_login(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_repeated_failures_lock_the_account_for_this_address(client, user, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.email, "mauvais")
    response = login(client, user.email, password)  # even the right password is refused now
    assert response.status_code == 429
    assert "Compte temporairement bloqué" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked.
    other = UserFactory()
    assert login(client, other.email, password).status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_password_reset_goes_through_the_task_queue_and_email(client):
    from django_tasks_db.models import DBTaskResult

    user = UserFactory(email="agent@prefecture.test")
    response = client.post(reverse("password_reset"), {"email": "Agent@Prefecture.test"})
    assert response.status_code == 302
    assert mail.outbox == []  # queued, not sent during the request
    assert DBTaskResult.objects.filter(task_path="core.tasks.send_email").count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Résorption-bidonvilles" in message.subject
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    link = re.search(r"http://testserver(/mot-de-passe-oublie/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new_password = "une-toute-nouvelle-phrase"
    response = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert login(client, user.email, new_password).status_code == 302


def test_unknown_email_in_password_reset_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "inconnu@exemple.test"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")


def test_password_change_validates_in_french(client, user, password):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "court", "new_password2": "court"},
    )
    assert response.status_code == 200
    assert "trop court" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "encore-une-phrase-longue",
            "new_password2": "encore-une-phrase-longue",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("encore-une-phrase-longue")


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"username": "", "password": ""},
        {"username": "x" * 5000, "password": "y" * 5000},
        {"username": "' OR 1=1 --", "password": "<script>alert(1)</script>"},
        {"username": ["a", "b"], "password": "\x00"},
    ],
)
def test_malformed_login_input_never_fails(client, payload):
    response = client.post(reverse("login"), payload)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
