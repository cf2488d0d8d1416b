"""The access request form answers the same way whatever the email address (no account, an
account, an account awaiting activation, a pending request): nobody learns from it who has an
account. Only the owner of the address learns, by email, what applies to them. Every submission
counts in the rate limits, the ones that create no request too."""

import pytest
from django.urls import reverse

from directory import views_access
from directory.enums import UserStatus
from directory.models import AccessRequest
from tests.directory.factories import OrganizationFactory, UserFactory
from tests.directory.test_access_requests import (
    empty_cache,  # noqa: F401 - autouse fixture: fresh rate-limit counters
    form_data,
    make_request,
    places,  # noqa: F401 - fixture
    queued_emails,
)

pytestmark = pytest.mark.django_db

EMAIL = "camille.martin@asso.test"


def _prepare(case):
    if case == "account":
        UserFactory(email=EMAIL)
    elif case == "awaiting_activation":
        UserFactory(email=EMAIL, status=UserStatus.NEW)
    elif case == "pending":
        make_request(None, email=EMAIL)


def _submit(client, organization, **overrides):
    return client.post(
        reverse("access_request_create"), form_data(organization=organization.pk, **overrides)
    )


CASES = {
    "nobody": ("reçu votre demande", 1),
    "account": ("réinitialisation-du-mot-de-passe", 0),
    "awaiting_activation": ("déjà été créé", 0),
    "pending": ("déjà en cours d’examen", 1),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_answer_is_the_same_whatever_the_address(client, places, case):  # noqa: F811
    organization = OrganizationFactory()
    _prepare(case)
    response = _submit(client, organization, email=EMAIL.upper(), email_confirmation=EMAIL)
    assert response.status_code == 302
    assert response.url == reverse("access_request_done")
    done = client.get(response.url)
    assert done.status_code == 200

    marker, requests = CASES[case]
    assert AccessRequest.objects.filter(email=EMAIL).count() == requests
    [email] = queued_emails(to=EMAIL)
    body = email["body"]
    if case == "account":
        assert reverse("password_reset") in body
    else:
        assert marker in body, body
    assert "Martin" not in email["subject"]


def test_the_pages_do_not_differ_between_cases(client, places):  # noqa: F811
    organization = OrganizationFactory()
    UserFactory(email="a.un.compte@asso.test")
    pages = []
    for address in ("a.un.compte@asso.test", "personne@asso.test"):
        response = _submit(client, organization, email=address, email_confirmation=address)
        pages.append((response.status_code, response["Location"]))
    assert pages[0] == pages[1]


def test_submissions_that_create_nothing_count_in_the_rate_limit(client, places):  # noqa: F811
    organization = OrganizationFactory()
    for number in range(views_access.RATE_LIMIT_PER_IP):
        address = f"compte{number}@asso.test"
        UserFactory(email=address)
        response = _submit(client, organization, email=address, email_confirmation=address)
        assert response.status_code == 302
    blocked = _submit(
        client, organization, email="autre@asso.test", email_confirmation="autre@asso.test"
    )
    assert blocked.status_code == 429


def test_invalid_submissions_are_rate_limited_too(client, places):  # noqa: F811
    organization = OrganizationFactory()
    for _ in range(views_access.RATE_LIMIT_INVALID_PER_IP):
        response = _submit(client, organization, email="pas-une-adresse")
        assert response.status_code == 200
        assert response.context["form"].errors
    assert _submit(client, organization).status_code == 429


def test_one_address_gets_three_emails_a_day_at_most(client, places):  # noqa: F811
    organization = OrganizationFactory()
    UserFactory(email=EMAIL)
    for _ in range(views_access.RATE_LIMIT_PER_EMAIL):
        assert _submit(client, organization, REMOTE_ADDR="203.0.113.9").status_code == 302
    assert _submit(client, organization, REMOTE_ADDR="203.0.113.10").status_code == 429
    assert len(queued_emails(to=EMAIL)) == views_access.RATE_LIMIT_PER_EMAIL
