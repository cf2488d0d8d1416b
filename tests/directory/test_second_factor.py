"""Second factor (TOTP) for national and local administrators and superusers: enrolment with a
QR code or the typed secret, recovery codes shown once and working once, the verification step
before any page, the Wagtail admin behind a verified session; other roles unaffected.

These tests log in through the login form (not `force_login`, which stands for a complete login
including the second factor)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from directory.enums import Role
from directory.services import second_factor
from tests.directory.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_ROLES = [
    {"role": Role.NATIONAL_ADMIN},
    {"role": Role.LOCAL_ADMIN},
    {"role": Role.INTERVENANT, "is_superuser": True},
]


def log_in(client, user) -> str:
    """Password step through the login form; returns where it leads (after redirections)."""
    response = client.post(
        reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD}, follow=True
    )
    return response.redirect_chain[-1][0] if response.redirect_chain else ""


def code_of(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


@pytest.mark.parametrize("fields", ADMIN_ROLES)
def test_an_admin_without_a_device_is_sent_to_enrolment_before_any_page(client, fields):
    user = UserFactory(**fields)
    landing = log_in(client, user)
    assert landing.startswith(reverse("second_factor_enrol"))
    for path in ("/tableau-de-bord/", "/sites/", "/annuaire/", "/mon-compte/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("second_factor_enrol") + "?next="), path


def test_other_roles_log_in_with_their_password_only(client):
    user = UserFactory(role=Role.CORRESPONDANT)
    assert log_in(client, user) == reverse("dashboard")
    assert client.get("/tableau-de-bord/").status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_enrolment_shows_a_qr_code_and_the_secret_then_refuses_a_wrong_code(client):
    user = UserFactory(role=Role.LOCAL_ADMIN)
    log_in(client, user)
    page = client.get(reverse("second_factor_enrol"))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Configurer la double authentification" in content
    assert '<svg class="platform-qr-code" role="img"' in content  # inline, no image service
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert second_factor.secret_of(device) in content
    assert page["Cache-Control"].startswith("max-age=0")
    # Reloading shows the same secret (the user may already have scanned it).
    assert second_factor.secret_of(device) in client.get(reverse("second_factor_enrol")).text

    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("second_factor_enrol"), {"code": wrong})
    assert response.status_code == 200
    assert "Ce code n’est pas celui qu’affiche votre application" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/tableau-de-bord/").status_code == 302


def test_enrolment_confirms_the_device_and_shows_the_recovery_codes_once(client):
    user = UserFactory(role=Role.NATIONAL_ADMIN, is_staff=True)
    log_in(client, user)
    client.get(reverse("second_factor_enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(
        reverse("second_factor_enrol"), {"code": code_of(device), "next": "/sites/"}
    )
    assert response.status_code == 302
    assert response.url == reverse("second_factor_recovery_codes")
    device.refresh_from_db()
    assert device.confirmed

    shown = client.get(reverse("second_factor_recovery_codes")).content.decode()
    codes = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == second_factor.RECOVERY_CODE_COUNT
    assert all(f"<code>{code}</code>" in shown for code in codes)
    assert 'href="/sites/"' in shown
    again = client.get(reverse("second_factor_recovery_codes")).content.decode()
    assert not any(code in again for code in codes)
    # The session is verified: pages and the admin open.
    assert client.get("/tableau-de-bord/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(action=second_factor.ACTION_ENROL).count() == 1


def test_verification_refuses_a_wrong_code_and_accepts_the_app_code(client):
    user = UserFactory(role=Role.LOCAL_ADMIN)
    device = enrolled(user)
    landing = log_in(client, user)
    assert landing.startswith(reverse("second_factor_verify"))
    response = client.post(reverse("second_factor_verify"), {"code": "000000"})
    if code_of(device) == "000000":  # one chance in a million
        return
    assert response.status_code == 200
    assert "Code incorrect." in response.content.decode()
    assert client.get("/tableau-de-bord/").status_code == 302
    # After a wrong code, django-otp makes the device wait before the next try.
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(
        reverse("second_factor_verify"), {"code": code_of(device), "next": "/annuaire/"}
    )
    assert response.status_code == 302 and response.url == "/annuaire/"
    assert client.get("/tableau-de-bord/").status_code == 200


def test_repeated_wrong_codes_make_the_user_wait(client):
    user = UserFactory(role=Role.LOCAL_ADMIN)
    device = enrolled(user)
    log_in(client, user)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("second_factor_verify"), {"code": wrong})
    assert "Code incorrect." in response.text
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # After ten wrong codes the device waits 2⁹ seconds: even the right code is not checked.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=10)
    response = client.post(reverse("second_factor_verify"), {"code": code_of(device)})
    assert response.status_code == 200
    assert re.search(r"Trop de codes erronés : attendez \d+ secondes", response.text)
    assert client.get("/tableau-de-bord/").status_code == 302


def test_a_recovery_code_works_once(client):
    user = UserFactory(role=Role.NATIONAL_ADMIN, is_staff=True)
    enrolled(user)
    codes = second_factor.regenerate_recovery_codes(user=user)
    log_in(client, user)
    response = client.post(reverse("second_factor_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/tableau-de-bord/").status_code == 200
    assert ModelLogEntry.objects.filter(action=second_factor.ACTION_RECOVERY_CODE_USED).exists()

    other = Client()
    log_in(other, user)
    response = other.post(reverse("second_factor_verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert "Code incorrect." in response.content.decode()
    assert other.get("/tableau-de-bord/").status_code == 302
    assert second_factor.recovery_codes_left(user) == second_factor.RECOVERY_CODE_COUNT - 1


def test_the_wagtail_admin_needs_a_verified_session(client):
    user = UserFactory(role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    device = enrolled(user)
    log_in(client, user)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("second_factor_verify") + "?next=%2Fadmin%2Fpages%2F")
    client.post(reverse("second_factor_verify"), {"code": code_of(device)})
    assert client.get("/admin/pages/").status_code == 200


def test_wagtail_admin_access_needs_a_verified_session_whatever_the_role(client):
    # Someone given access to the admin through a group keeps needing the second factor there.
    from django.contrib.auth.models import Group, Permission

    user = UserFactory(role=Role.CORRESPONDANT)
    group = Group.objects.create(name="Accès admin")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    log_in(client, user)
    assert client.get("/tableau-de-bord/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("second_factor_enrol"))


def test_new_recovery_codes_replace_the_old_ones(client):
    user = UserFactory(role=Role.LOCAL_ADMIN)
    enrolled(user)
    old = second_factor.regenerate_recovery_codes(user=user)
    client.force_login(user)  # a complete login: password and second factor
    account = client.get(reverse("account")).content.decode()
    assert "10 codes de secours restants" in account
    response = client.post(reverse("second_factor_regenerate_codes"))
    assert response.url == reverse("second_factor_recovery_codes")
    new = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert new and not new & set(old)


def test_a_reset_second_factor_asks_for_enrolment_again(client):
    admin = UserFactory(role=Role.NATIONAL_ADMIN, is_staff=True)
    user = UserFactory(role=Role.LOCAL_ADMIN)
    enrolled(user)
    second_factor.regenerate_recovery_codes(user=user)
    second_factor.reset_second_factor(user=user, by=admin)
    assert not second_factor.has_second_factor(user)
    assert second_factor.recovery_codes_left(user) == 0
    assert log_in(client, user).startswith(reverse("second_factor_enrol"))
