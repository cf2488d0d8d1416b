"""My account: profile, topics, email address (re-verified), password, sign-in history, closing."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from directory.enums import Role, Topic, UserStatus
from directory.models import AccountSession, SignInEvent, User
from directory.services import accounts
from tests.directory.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def profile_data(**overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Durand",
        "phone": "+33 6 12 34 56 78",
        "position": "Chargée de mission",
        "expertise_topics": [Topic.HEALTH, Topic.SCHOOL],
        "interest_topics": [Topic.HOUSING],
    }
    data.update(overrides)
    return data


def queued_emails(to=None):
    """The keyword arguments of the queued `send_email` tasks (optionally for one address)."""
    rows = DBTaskResult.objects.filter(task_path="core.tasks.send_email").order_by("enqueued_at")
    emails = [row.args_kwargs["kwargs"] for row in rows]
    return [email for email in emails if to is None or email["to"] == [to]]


def link_in(email):
    return re.search(r"https?://\S+", email["body"])[0]


# --- Profile ------------------------------------------------------------------------------------


def test_the_account_page_shows_the_profile_and_its_actions(client, user):
    client.force_login(user)
    response = client.get(reverse("account"))
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("account_edit", "email_change", "password_change", "account_close"):
        assert reverse(name) in content


def test_a_user_edits_names_phone_position_and_topics(client, user):
    client.force_login(user)
    response = client.post(reverse("account_edit"), profile_data())
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Camille", "Durand")
    assert user.phone == "06 12 34 56 78"
    assert user.position == "Chargée de mission"
    assert user.expertise_topics == [Topic.HEALTH, Topic.SCHOOL]
    assert user.interest_topics == [Topic.HOUSING]
    entry = ModelLogEntry.objects.for_instance(user).get(action=accounts.ACTION_EDIT_PROFILE)
    assert "phone" in entry.data["fields"]
    assert "06 12" not in str(entry.data)  # the values are not copied into the log
    page = client.get(reverse("account")).content.decode()
    assert "Santé" in page and "Logement" in page


def test_the_user_is_found_by_topic_in_the_directory(client, user):
    viewer = UserFactory()
    client.force_login(user)
    client.post(reverse("account_edit"), profile_data(expertise_topics=[Topic.MEDIATION]))
    client.force_login(viewer)
    response = client.get(
        reverse("directory_index"), {"vue": "personnes", "thematique": "mediation"}
    )
    assert "Durand" in response.content.decode()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"first_name": "  "}, "first_name", "Saisissez votre prénom."),
        ({"phone": "12"}, "phone", "Saisissez un numéro de téléphone français"),
        ({"expertise_topics": ["nope"]}, "expertise_topics", "Sélectionnez un choix valide"),
    ],
)
def test_invalid_profile_input_is_explained_in_french(client, user, overrides, field, message):
    client.force_login(user)
    response = client.post(reverse("account_edit"), profile_data(**overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])


def test_the_profile_pages_need_a_login(client):
    for name in ("account_edit", "email_change", "account_close"):
        assert client.get(reverse(name)).status_code == 302


# --- Email address ------------------------------------------------------------------------------


def test_email_change_is_confirmed_from_the_new_address_and_the_old_one_is_told(client, user):
    old = user.email
    client.force_login(user)
    response = client.post(
        reverse("email_change"),
        {"new_email": "Nouvelle@Exemple.test", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == old  # nothing changes before the confirmation
    to_new = queued_emails("nouvelle@exemple.test")
    to_old = queued_emails(old)
    assert len(to_new) == 1 and len(to_old) == 1
    assert "nouvelle@exemple.test" in to_old[0]["body"]
    url = link_in(to_new[0])
    path = url.split("testserver", 1)[-1]
    assert client.get(path).status_code == 200  # the page asks to confirm, changes nothing
    user.refresh_from_db()
    assert user.email == old
    DBTaskResult.objects.all().delete()
    response = client.post(path)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "nouvelle@exemple.test"
    assert [m["to"] for m in queued_emails()] == [[old]]  # the former address is told
    assert ModelLogEntry.objects.for_instance(user).filter(action=accounts.ACTION_CHANGE_EMAIL)
    # The link works once.
    assert client.post(path).status_code == 410


def test_email_change_needs_the_password(client, user):
    client.force_login(user)
    response = client.post(
        reverse("email_change"), {"new_email": "autre@exemple.test", "password": "mauvais"}
    )
    assert response.status_code == 200
    assert "Le mot de passe est incorrect." in str(response.context["form"].errors["password"])
    assert queued_emails() == []


def test_an_address_of_another_account_is_not_revealed_and_not_taken(client, user):
    other = UserFactory(email="prise@exemple.test")
    client.force_login(user)
    response = client.post(
        reverse("email_change"), {"new_email": other.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302  # the same answer as for a free address
    assert queued_emails(other.email) == []
    token = accounts.email_change_token(user, other.email)
    response = client.post(reverse("email_change_confirm", args=[token]))
    assert response.status_code == 410
    user.refresh_from_db()
    assert user.email != other.email


@pytest.mark.parametrize("token", ["n'importe-quoi", "a" * 300, "%00"])
def test_forged_email_change_links_never_fail(client, token):
    assert client.get(reverse("email_change_confirm", args=[token])).status_code == 410


def test_an_expired_email_change_link_is_refused(client, user, monkeypatch):
    token = accounts.email_change_token(user, "tard@exemple.test")
    monkeypatch.setattr(accounts, "EMAIL_CHANGE_VALIDITY", timedelta(seconds=-1))
    response = client.get(reverse("email_change_confirm", args=[token]))
    assert response.status_code == 410
    assert "expiré" in response.content.decode()


# --- Password -----------------------------------------------------------------------------------


def test_the_password_changes_from_the_account(client, user):
    client.force_login(user)
    new = "Un mot de passe tout neuf 42"
    response = client.post(
        reverse("password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


# --- Sign-in history ----------------------------------------------------------------------------


def test_sign_ins_are_logged_with_the_client_address(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    headers = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}
    login(client, user.email, "mauvais", **headers)
    login(client, user.email, **headers)
    events = list(SignInEvent.objects.filter(user=user))
    assert [(e.succeeded, e.client_ip) for e in events] == [
        (True, "203.0.113.9"),
        (False, "203.0.113.9"),
    ]
    page = client.get(reverse("account")).content.decode()
    assert "203.0.113.9" in page and "Échec" in page


def test_failures_on_unknown_addresses_are_not_logged(client):
    login(client, "personne@exemple.test", "mauvais")
    assert not SignInEvent.objects.exists()


def test_the_history_shows_the_last_twenty(client, user):
    now = timezone.now()
    SignInEvent.objects.bulk_create(
        SignInEvent(user=user, succeeded=True, at=now - timedelta(hours=i), client_ip="192.0.2.1")
        for i in range(1, 26)
    )
    client.force_login(user)
    response = client.get(reverse("account"))
    assert len(response.context["sign_ins"]) == 20
    assert response.context["sign_ins"][0].at > response.context["sign_ins"][-1].at


def test_the_sign_in_log_is_purged_after_six_months(user):
    now = timezone.now()
    old = SignInEvent.objects.create(user=user, succeeded=True, at=now - timedelta(days=200))
    recent = SignInEvent.objects.create(user=user, succeeded=False, at=now - timedelta(days=100))
    call_command("purge_sign_in_log", stdout=StringIO())
    assert list(SignInEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not SignInEvent.objects.filter(pk=old.pk).exists()


@pytest.mark.parametrize(
    "viewer_role, own, allowed",
    [
        (None, True, True),  # the person themself
        (Role.INTERVENANT, False, False),
        (Role.LOCAL_ADMIN, False, False),
        (Role.NATIONAL_ADMIN, False, True),
    ],
)
def test_who_reads_a_persons_sign_in_log(client, viewer_role, own, allowed):
    person = UserFactory()
    SignInEvent.objects.create(user=person, succeeded=True, client_ip="198.51.100.7")
    viewer = person if own else UserFactory(role=viewer_role)
    client.force_login(viewer)
    response = client.get(reverse("directory_person_sign_ins", args=[person.pk]))
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert "198.51.100.7" in response.content.decode()


# --- Closing ------------------------------------------------------------------------------------


def test_closing_needs_the_confirmation_and_the_password(client, user):
    client.force_login(user)
    response = client.post(reverse("account_close"), {"password": DEFAULT_PASSWORD})
    assert "Cochez la case pour confirmer." in str(response.context["form"].errors["confirm"])
    response = client.post(reverse("account_close"), {"confirm": "on", "password": "mauvais"})
    assert "Le mot de passe est incorrect." in str(response.context["form"].errors["password"])
    user.refresh_from_db()
    assert user.is_active and user.closed_at is None


def test_a_user_closes_their_account(client, user):
    client.force_login(user)
    response = client.post(
        reverse("account_close"), {"confirm": "on", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.is_active and user.status == UserStatus.INACTIVE and user.closed_at
    assert not AccountSession.objects.filter(user_id=user.pk).exists()
    assert client.get(reverse("account")).status_code == 302  # logged out
    assert login(client, user.email).status_code == 200  # the login form again: refused
    assert ModelLogEntry.objects.for_instance(user).filter(action=accounts.ACTION_CLOSE)
    assert User.objects.filter(pk=user.pk).exists()
