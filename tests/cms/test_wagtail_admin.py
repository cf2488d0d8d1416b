"""The Wagtail admin keeps working with the platform's user model and snippets."""

import pytest

from directory.models import CharterVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/users/",
        "/admin/users/new/",
        "/admin/snippets/directory/charterversion/",
        "/admin/snippets/directory/charterversion/add/",
        "/admin/snippets/directory/permissionexception/",
        "/admin/snippets/directory/permissionexception/add/",
        "/admin/settings/cms/footerlinks/",
        "/admin/reports/site-history/",
    ],
)
def test_admin_pages_answer(superuser_client, path):
    response = superuser_client.get(path, follow=True)
    assert response.status_code == 200, path


def test_admin_edits_a_user(superuser_client):
    user = UserFactory()
    response = superuser_client.get(f"/admin/users/edit/{user.pk}/")
    assert response.status_code == 200
    assert user.email in response.content.decode()


def test_admin_publishes_a_new_charter_version(superuser_client):
    response = superuser_client.post(
        "/admin/snippets/directory/charterversion/add/",
        {
            "version": "2",
            "title": "Charte d’engagement",
            "body": '{"blocks": [{"key": "a", "type": "unstyled", "text": "Nouvelle version",'
            ' "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
            "published_at": "2026-01-01 00:00",
        },
    )
    assert response.status_code == 302
    assert CharterVersion.objects.filter(version=2).exists()


def test_ordinary_users_cannot_reach_the_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url or "/connexion/" in response.url
