"""A `next` parameter is followed only when it stays on the platform."""

import pytest
from django.test import RequestFactory

from core.navigation import is_safe, next_url


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/sites/12/", "/sites/12/"),
        ("http://testserver/sites/", "http://testserver/sites/"),
        ("https://evil.example.org/", "/repli/"),
        ("//evil.example.org/", "/repli/"),
        ("javascript:alert(1)", "/repli/"),
        ("", "/repli/"),
    ],
)
def test_next_is_followed_only_on_this_host(candidate, expected):
    request = RequestFactory().get("/", {"next": candidate})
    assert next_url(request, "/repli/") == expected


def test_the_form_field_comes_before_the_query_string():
    request = RequestFactory().post("/?next=/de-la-requete/", {"next": "/du-formulaire/"})
    assert next_url(request) == "/du-formulaire/"


def test_a_secure_request_refuses_a_plain_http_address_of_its_own_host():
    request = RequestFactory().get("/", secure=True)
    assert not is_safe(request, "http://testserver/sites/")
    assert is_safe(request, "https://testserver/sites/")
