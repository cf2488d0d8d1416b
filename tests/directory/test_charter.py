from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from directory.models import CharterVersion
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_charter_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_user_who_has_not_accepted_the_charter_sees_only_the_charter(client):
    user = UserFactory(charter_version_accepted=None, charter_accepted_at=None)
    client.force_login(user)
    for url in [reverse("dashboard"), reverse("account"), "/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("charter"))
    page = client.get(reverse("charter"))
    assert page.status_code == 200
    assert "résorption" in page.content.decode()  # the charter text itself
    assert 'name="accept"' in page.content.decode()
    # Logging out stays possible.
    assert client.post(reverse("logout")).status_code == 302


def test_accepting_records_version_and_date_then_lets_the_user_in(client):
    user = UserFactory(charter_version_accepted=None, charter_accepted_at=None)
    client.force_login(user)
    refused = client.post(reverse("charter"), {"next": reverse("account")})
    assert refused.status_code == 200  # the box was not ticked
    user.refresh_from_db()
    assert user.charter_version_accepted is None

    response = client.post(reverse("charter"), {"accept": "on", "next": reverse("account")})
    assert response.status_code == 302
    assert response.url == reverse("account")
    user.refresh_from_db()
    assert user.charter_version_accepted == 1
    assert user.charter_accepted_at is not None
    assert ModelLogEntry.objects.filter(action="directory.charter.accept").count() == 1
    assert client.get(reverse("account")).status_code == 200


def test_a_new_charter_version_must_be_accepted_again(client):
    user = UserFactory(charter_version_accepted=1)
    client.force_login(user)
    assert client.get(reverse("account")).status_code == 200
    CharterVersion.objects.create(version=2, title="Charte v2", body="<p>Nouveau texte</p>")
    cache.clear()
    assert client.get(reverse("account")).status_code == 302


def test_a_future_version_is_not_yet_in_force(client):
    user = UserFactory(charter_version_accepted=1)
    CharterVersion.objects.create(
        version=2,
        title="Charte future",
        body="<p>Plus tard</p>",
        published_at=timezone.now() + timezone.timedelta(days=3),
    )
    client.force_login(user)
    assert client.get(reverse("account")).status_code == 200


def test_open_redirects_are_refused_after_acceptance(client):
    user = UserFactory(charter_version_accepted=None)
    client.force_login(user)
    response = client.post(reverse("charter"), {"accept": "on", "next": "https://evil.example/"})
    assert response.url == reverse("dashboard")


def test_anonymous_visitors_can_read_the_charter(client):
    response = client.get(reverse("charter"))
    assert response.status_code == 200
    assert 'name="accept"' not in response.content.decode()


def test_last_access_is_recorded_once_per_hour(client):
    user = UserFactory(charter_version_accepted=1)
    client.force_login(user)
    client.get(reverse("account"))
    user.refresh_from_db()
    assert user.last_access is not None
    # Recorded 59 minutes ago: not recorded again.
    almost_an_hour_ago = timezone.now() - timedelta(minutes=59)
    type(user).objects.filter(pk=user.pk).update(last_access=almost_an_hour_ago)
    client.get(reverse("account"))
    user.refresh_from_db()
    assert user.last_access == almost_an_hour_ago
    # Recorded 61 minutes ago: recorded again, now.
    over_an_hour_ago = timezone.now() - timedelta(minutes=61)
    type(user).objects.filter(pk=user.pk).update(last_access=over_an_hour_ago)
    before = timezone.now()
    client.get(reverse("account"))
    user.refresh_from_db()
    assert user.last_access >= before
