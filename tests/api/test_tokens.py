"""Personal API tokens: created, named and shown once from the account page, stored hashed,
expired, revoked (by their owner or by deactivation), recorded when used, throttled per token."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from api.models import ApiToken
from directory.enums import Role
from directory.services.users import deactivate_user
from tests.api.support import api_client, member, token_for
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/moi/"


def test_a_token_authenticates_its_owner():
    user = member(Role.INTERVENANT)
    response = api_client(user).get(ME)
    assert response.status_code == 200
    assert response.json()["id"] == user.pk


def test_without_credentials_the_api_answers_401_in_json():
    response = api_client().get(ME)
    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer rb_" + "x" * 64, "Bearer", "Bearer a b"])
def test_a_wrong_token_is_refused(header):
    member(Role.INTERVENANT)
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(ME).status_code == 401


def test_the_token_is_stored_hashed():
    user = member(Role.INTERVENANT)
    secret = token_for(user)
    token = ApiToken.objects.get(user=user)
    assert secret not in token.digest
    assert secret.startswith("rb_")
    assert not ApiToken.objects.filter(digest=secret).exists()


def test_an_expired_token_is_refused():
    user = member(Role.INTERVENANT)
    secret = token_for(user)
    ApiToken.objects.filter(user=user).update(expiry=timezone.now() - datetime.timedelta(1))
    assert api_client(secret=secret).get(ME).status_code == 401
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_revoked_token_is_refused(client):
    user = member(Role.INTERVENANT)
    secret = token_for(user)
    token = ApiToken.objects.get(user=user)
    client.force_login(user)
    response = client.post(f"/mon-compte/jetons-api/{token.token_key}/revoquer/")
    assert response.status_code == 302
    assert api_client(secret=secret).get(ME).status_code == 401


def test_nobody_revokes_the_token_of_another(client):
    owner, other = member(Role.INTERVENANT), member(Role.INTERVENANT)
    secret = token_for(owner)
    token = ApiToken.objects.get(user=owner)
    client.force_login(other)
    assert client.post(f"/mon-compte/jetons-api/{token.token_key}/revoquer/").status_code == 404
    assert api_client(secret=secret).get(ME).status_code == 200


def test_deactivation_revokes_every_token():
    user = member(Role.INTERVENANT)
    secret = token_for(user)
    admin = UserFactory(role=Role.NATIONAL_ADMIN)
    deactivate_user(user=user, by=admin, reason="départ")
    assert not ApiToken.objects.filter(user=user).exists()
    assert api_client(secret=secret).get(ME).status_code == 401


def test_last_use_is_recorded():
    user = member(Role.INTERVENANT)
    secret = token_for(user)
    assert ApiToken.objects.get(user=user).last_used_at is None
    api_client(secret=secret).get(ME)
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_the_account_page_creates_a_named_token_shown_once(client):
    user = member(Role.INTERVENANT)
    client.force_login(user)
    assert "/mon-compte/jetons-api/" in client.get("/mon-compte/").content.decode()
    response = client.post("/mon-compte/jetons-api/", {"name": "Mon outil", "expiry": "30"})
    assert response.status_code == 200
    secret = response.context["new_token"][1]
    assert secret in response.content.decode()
    assert response.headers["Cache-Control"].startswith("max-age=0")
    token = ApiToken.objects.get(user=user)
    assert token.name == "Mon outil"
    assert token.expiry - timezone.now() > datetime.timedelta(days=29)
    assert token.expiry - timezone.now() < datetime.timedelta(days=31)
    page = client.get("/mon-compte/jetons-api/").content.decode()
    assert "Mon outil" in page
    assert secret not in page
    assert api_client(secret=secret).get(ME).status_code == 200


def test_the_account_page_reports_errors_in_french(client):
    client.force_login(member(Role.INTERVENANT))
    response = client.post("/mon-compte/jetons-api/", {"name": "", "expiry": "9999"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "expiry"}
    assert not ApiToken.objects.exists()


def test_each_token_has_its_own_budget_then_retry_after():
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    # DRF binds the rates to the class when it is imported: imported here, before the override,
    # and restored after it, so that no later test of the process inherits 3/minute.
    original = SimpleRateThrottle.THROTTLE_RATES
    try:
        with override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"api": "3/minute"}}):
            SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
            user = member(Role.INTERVENANT)
            first, second = api_client(user), api_client(user)
            for _ in range(3):
                assert first.get(ME).status_code == 200
            response = first.get(ME)
            assert response.status_code == 429
            assert int(response.headers["Retry-After"]) > 0
            assert "detail" in response.json()
            assert second.get(ME).status_code == 200
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original


def test_a_token_works_only_once_the_charter_in_force_is_accepted():
    from directory.models import CharterVersion

    if not CharterVersion.objects.exists():
        pytest.skip("no charter in force in this database")
    user = member(Role.INTERVENANT, charter_version_accepted=None, charter_accepted_at=None)
    response = api_client(user).get(ME)
    assert response.status_code == 403
    assert "charte" in response.json()["detail"]


def test_using_a_token_counts_as_using_the_platform():
    user = member(Role.INTERVENANT)
    user.__class__.objects.filter(pk=user.pk).update(last_access=None)
    api_client(user).get(ME)
    user.refresh_from_db()
    assert user.last_access is not None
