"""The Wagtail admin keeps working with the platform's user model and snippets."""

import pytest

from directory.models import CharterVersion
from tests.assertions import assert_admin_screen_opens
from tests.directory.factories import UserFactory

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
    assert_admin_screen_opens(superuser_client, path)


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


@pytest.mark.parametrize(
    "path",
    [
        "/admin/settings/cms/mainmenu/",
        "/admin/settings/cms/contactsettings/",
        "/admin/snippets/cms/contactmessage/",
        "/admin/snippets/cms/sitereport/",
    ],
)
def test_public_side_admin_pages_answer(superuser_client, path):
    assert_admin_screen_opens(superuser_client, path)


@pytest.mark.parametrize(
    "model",
    [
        "contentpage",
        "charterpage",
        "guideindexpage",
        "faqpage",
        "statisticspage",
        "contactpage",
        "reportsitepage",
    ],
)
def test_editors_can_add_every_public_page_type_under_the_home_page(superuser_client, model):
    from cms.models import HomePage

    home = HomePage.objects.get()
    response = superuser_client.get(f"/admin/pages/add/cms/{model}/{home.pk}/")
    assert response.status_code == 200


def test_editors_add_a_guide_with_blocks(superuser_client):
    from cms.models import GuideIndexPage, GuidePage
    from tests.cms.factories import add_page

    index = add_page(GuideIndexPage, title="Guides")
    response = superuser_client.get(f"/admin/pages/add/cms/guidepage/{index.pk}/")
    assert response.status_code == 200
    data = {
        "title": "Nouveau guide",
        "slug": "nouveau-guide",
        "intro": "Pour commencer",
        "body-count": "1",
        "body-0-type": "callout",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-value-title": "Important",
        "body-0-value-text": "Un message",
        "body-0-value-link-label": "",
        "body-0-value-link-page": "",
        "body-0-value-link-url": "",
        "action-publish": "publish",
    }
    response = superuser_client.post(f"/admin/pages/add/cms/guidepage/{index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    guide = GuidePage.objects.get(slug="nouveau-guide")
    assert guide.live and guide.body[0].value["text"] == "Un message"
