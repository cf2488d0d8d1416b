import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty per-process cache, so that a value cached by an earlier
    test (e.g. the charter version, cached for a minute) can neither leak into it nor expire in
    the middle of its query counts."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a complete login: for the users who need a second
    factor (administrators, superusers), it also verifies one, as the verification page would.
    Tests of the second factor itself log in through the login form instead."""
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from directory.perms import must_use_second_factor

        if must_use_second_factor(user):
            verify_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


def verify_second_factor(client, user):
    """Mark the client's session as verified by the user's authenticator (created if needed)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
