"""Sessions end with the account: deactivation ends them all (a reactivation does not bring them
back); a password change ends every session but the one where it was changed."""

import pytest
from django.test import Client
from django.urls import reverse

from directory.enums import Role
from directory.models import AccountSession
from directory.services.users import deactivate_user, reactivate_user
from tests.directory.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-tout-nouveau-mot-de-passe-2026"


def two_sessions(user) -> tuple[Client, Client]:
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(user)
        assert client.get(reverse("account")).status_code == 200
    assert AccountSession.objects.of_user(user.pk).count() == 2
    return first, second


def logged_in(client) -> bool:
    return client.get(reverse("account")).status_code == 200


def test_a_password_change_ends_the_other_sessions_only():
    user = UserFactory()
    current, other = two_sessions(user)
    response = current.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert logged_in(current)
    assert not logged_in(other)
    assert AccountSession.objects.of_user(user.pk).count() == 1
    assert current.session.session_key == AccountSession.objects.of_user(user.pk).get().pk


def test_a_password_set_elsewhere_ends_every_session():
    # A reset by email, or an administrator setting it in the Wagtail admin.
    user = UserFactory()
    first, second = two_sessions(user)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not logged_in(first) and not logged_in(second)
    assert not AccountSession.objects.of_user(user.pk).exists()


def test_deactivation_deletes_every_session_and_reactivation_does_not_revive_them():
    admin = UserFactory(role=Role.NATIONAL_ADMIN)
    user = UserFactory()
    first, second = two_sessions(user)
    kept = Client()
    kept.force_login(admin)

    deactivate_user(user=user, by=admin, reason="Départ de la structure")
    assert not AccountSession.objects.of_user(user.pk).exists()
    reactivate_user(user=user, by=admin)
    assert not logged_in(first) and not logged_in(second)
    assert logged_in(kept)  # other accounts keep their sessions


def test_other_saves_keep_the_sessions():
    user = UserFactory()
    first, _second = two_sessions(user)
    user.position = "Chargée de mission"
    user.save()
    assert logged_in(first)
    assert AccountSession.objects.of_user(user.pk).count() == 2
