import os

import pytest

from tests.directory.factories import DEFAULT_PASSWORD, UserFactory

# --- Missing tools and skipped tests under CI ----------------------------------------------


def under_ci() -> bool:
    """CI sets `CI` (`true`, `True`, `1`…): then nothing may be skipped for want of a tool."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing_tool(what: str, install: str):
    """A browser, emulator or service the tests need is missing: under CI, the test fails;
    elsewhere it is skipped with what to install."""
    message = f"{what} is missing: {install} to run these tests."
    if under_ci():
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


_skipped: list[str] = []


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "embedded: starts and stops embedded PostgreSQL servers of its own; deselected (`-m 'not "
        "embedded'`) in the CI pass against an external server",
    )


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    terminalreporter.write_line(f"Skipped tests: {len(_skipped)}")
    if under_ci() and _skipped:
        terminalreporter.write_line(
            "CI: no test may be skipped (install what they need, or deselect them with -m): "
            + ", ".join(_skipped[:20]),
            red=True,
        )
    count_file = os.environ.get("SKIP_COUNT_FILE")
    if count_file:
        with open(count_file, "a") as handle:
            handle.write(f"{len(_skipped)}\n")


def pytest_sessionfinish(session, exitstatus):
    if under_ci() and _skipped and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def ban(settings):
    """The geocoder pointed at a local server speaking the national address base API's format
    (tests/core/ban_server.py), with a short timeout."""
    from tests.core.ban_server import BanServer

    with BanServer() as server:
        settings.GEOCODER_URL = server.url
        settings.GEOCODER_TIMEOUT = 1
        yield server


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
