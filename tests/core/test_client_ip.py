"""The client's address behind trusted reverse proxies (`TRUSTED_PROXY_COUNT`), one function used
by the rate limits of the public forms and by django-axes (login lockouts)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.directory.factories import UserFactory

PROXY = "10.0.0.2"


def request_from(forwarded_for=None, remote=PROXY):
    meta = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        # No proxy declared: the header is anybody's to forge; the peer is the client.
        (0, "203.0.113.7", PROXY),
        (0, None, PROXY),
        # One proxy: it appended the address it received the request from.
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.66, 203.0.113.7", "203.0.113.7"),  # the forged left part is ignored
        (1, "198.51.100.66,203.0.113.7", "203.0.113.7"),
        (1, "2001:db8::5", "2001:db8::5"),
        # Two proxies: the outer one wrote the client, the inner one the outer proxy.
        (2, "198.51.100.66, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, "203.0.113.7, 10.0.0.1", "203.0.113.7"),
        # A chain shorter than the declared proxies did not come through them: the peer.
        (2, "203.0.113.7", PROXY),
        (1, None, PROXY),
        (1, "", PROXY),
        # Garbage where an address should be: the peer, never the garbage.
        (1, "not-an-address", PROXY),
        (1, "203.0.113.7, <script>", PROXY),
    ],
)
def test_the_client_address_is_taken_behind_the_trusted_proxies(
    settings, proxies, forwarded_for, expected
):
    from core.clientip import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_from(forwarded_for)) == expected


def test_axes_uses_the_same_function(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(request_from("198.51.100.66, 203.0.113.7")) == "203.0.113.7"


def _honeypot_post(client, address):
    return client.post(
        reverse("access_request_create"),
        {"extra_info": "bot", "email": "robot@example.test"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_one_noisy_client_behind_the_proxy_does_not_block_the_others(client, settings):
    from directory import views_access

    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(views_access.RATE_LIMIT_PER_IP):
        assert _honeypot_post(client, "203.0.113.7").status_code == 302
    assert _honeypot_post(client, "203.0.113.7").status_code == 429
    # Another client, through the same proxy: not limited.
    other = _honeypot_post(client, "198.51.100.20")
    assert other.status_code == 302, other.content.decode()[:200]


def _login(client, user, password, address):
    return client.post(
        reverse("login"),
        {"username": user.email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_wrong_passwords_from_one_client_do_not_lock_the_account_for_everybody(
    client, settings, password
):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user, "mauvais", "203.0.113.7")
    assert _login(client, user, password, "203.0.113.7").status_code == 429
    # The owner, from another address behind the same proxy, still logs in.
    response = _login(client, user, password, "198.51.100.20")
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
