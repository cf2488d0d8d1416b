"""National admins edit the editorial pages and snippets in the Wagtail admin without being
superusers; site pages stay out of their reach there; other roles have no admin access."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page
from wagtail.test.utils.form_data import nested_form_data, rich_text

from cms.models import ContentPage, HomePage
from directory.enums import Role, UserStatus
from directory.models import User
from directory.services import users as user_services
from directory.services.wagtail_access import (
    EDITORS_GROUP_NAME,
    editors_group,
    ensure_editors_group,
    sync_wagtail_access,
)
from directory.signals import keep_wagtail_access_in_sync
from sitepages.models import SiteIndexPage
from tests.assertions import assert_admin_screen_opens
from tests.directory.factories import DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


def in_group(user) -> bool:
    return user.groups.filter(name=EDITORS_GROUP_NAME).exists()


@pytest.fixture
def national_admin():
    admin = UserFactory(role=Role.NATIONAL_ADMIN, email="nationale@exemple.test")
    give_area(admin, None)
    admin.refresh_from_db()
    return admin


@pytest.fixture
def content_page():
    page = ContentPage(title="Mentions légales", slug="mentions-legales", body="<p>Éditeur</p>")
    HomePage.objects.get().add_child(instance=page)
    return page


@pytest.fixture
def site():
    return SitePageFactory(title="Site des Vignes")


# --- The group ----------------------------------------------------------------------------------


def test_the_migration_created_the_group_with_its_permissions():
    group = Group.objects.get(name=EDITORS_GROUP_NAME)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "change_charterversion", "add_tag", "change_footerlinks"} <= codenames
    assert "change_permissionexception" not in codenames
    assert "add_permissionexception" not in codenames
    page_permissions = GroupPagePermission.objects.filter(group=group)
    assert {p.page_id for p in page_permissions} == {HomePage.objects.get().pk}
    assert {p.permission.codename for p in page_permissions} == {
        "add_page",
        "change_page",
        "publish_page",
    }
    collection_codenames = set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_image", "choose_image", "add_document", "choose_document"} <= collection_codenames


def test_ensuring_the_group_twice_changes_nothing():
    before = GroupPagePermission.objects.count(), GroupCollectionPermission.objects.count()
    assert ensure_editors_group() == editors_group()
    assert (
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    ) == before


# --- Membership follows the role ----------------------------------------------------------------


def test_a_new_national_admin_gets_the_group_and_staff_status(national_admin):
    assert national_admin.is_staff and in_group(national_admin)
    assert not national_admin.is_superuser


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.NATIONAL_ADMIN])
def test_other_roles_get_neither(role):
    user = UserFactory(role=role)
    user.refresh_from_db()
    assert not user.is_staff and not in_group(user)


def test_changing_the_role_gives_and_takes_back_access(national_admin):
    by = UserFactory(role=Role.NATIONAL_ADMIN)
    user_services.change_role(user=national_admin, by=by, role=Role.LOCAL_ADMIN)
    national_admin.refresh_from_db()
    assert not national_admin.is_staff and not in_group(national_admin)
    user_services.change_role(user=national_admin, by=by, role=Role.NATIONAL_ADMIN)
    national_admin.refresh_from_db()
    assert national_admin.is_staff and in_group(national_admin)


def test_a_deactivated_national_admin_loses_access(national_admin):
    user_services.deactivate_user(user=national_admin, by=UserFactory(), reason="Départ")
    national_admin.refresh_from_db()
    assert not national_admin.is_staff and not in_group(national_admin)
    user_services.reactivate_user(user=national_admin, by=UserFactory())
    national_admin.refresh_from_db()
    assert national_admin.is_staff and in_group(national_admin)


def test_a_national_admin_waiting_for_activation_has_no_access_yet():
    user = UserFactory(role=Role.NATIONAL_ADMIN, status=UserStatus.NEW)
    user.refresh_from_db()
    assert not user.is_staff and not in_group(user)
    user.status = UserStatus.ACTIVE
    user.save(update_fields=["status"])
    user.refresh_from_db()
    assert user.is_staff and in_group(user)


def test_superusers_are_left_alone():
    superuser = UserFactory(role=Role.INTERVENANT, is_superuser=True, is_staff=True)
    assert sync_wagtail_access(superuser) is False
    superuser.refresh_from_db()
    assert superuser.is_staff and not in_group(superuser)


def test_saving_other_fields_does_not_touch_access(national_admin, django_assert_num_queries):
    with django_assert_num_queries(0):
        keep_wagtail_access_in_sync(User, national_admin, update_fields=frozenset({"phone"}))
    with django_assert_num_queries(2):  # the group, the membership; nothing to write
        keep_wagtail_access_in_sync(User, national_admin, update_fields=frozenset({"role"}))


# --- What a national admin may do in /admin/ ----------------------------------------------------


def assert_denied(response, url=""):
    """Wagtail answers a refusal inside the admin with a redirect to the dashboard."""
    assert response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    ), (url, response.status_code)


def test_national_admin_opens_the_admin_and_edits_a_content_page(
    client, national_admin, content_page
):
    client.force_login(national_admin)
    assert client.get("/admin/").status_code == 200
    url = reverse("wagtailadmin_pages:edit", args=[content_page.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        nested_form_data(
            {
                "title": "Mentions légales (2026)",
                "slug": "mentions-legales",
                "intro": "",
                "body": rich_text("<p>Éditeur : l’État</p>"),
                "action-publish": "action-publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    content_page.refresh_from_db()
    assert content_page.title == "Mentions légales (2026)"
    assert content_page.live
    national_admin.refresh_from_db()
    assert not national_admin.is_superuser


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/",
        "/admin/snippets/directory/charterversion/",
        "/admin/snippets/directory/charterversion/add/",
        "/admin/snippets/journal/tag/",
        "/admin/images/",
        "/admin/documents/",
    ],
)
def test_national_admin_reaches_the_editorial_screens(client, national_admin, path):
    client.force_login(national_admin)
    assert_admin_screen_opens(client, path)


def test_national_admin_cannot_change_permission_exceptions(client, national_admin):
    client.force_login(national_admin)
    assert_denied(client.get("/admin/snippets/directory/permissionexception/add/"))


def test_national_admin_cannot_open_a_site_page_in_the_admin(client, national_admin, site):
    client.force_login(national_admin)
    index = site.get_parent()
    home = HomePage.objects.get()
    for url in [
        reverse("wagtailadmin_pages:edit", args=[site.pk]),
        reverse("wagtailadmin_pages:edit", args=[index.pk]),
        reverse("wagtailadmin_pages:delete", args=[site.pk]),
        reverse("wagtailadmin_pages:copy", args=[site.pk]),
        reverse("wagtailadmin_pages:unpublish", args=[site.pk]),
        reverse("wagtailadmin_pages:move_confirm", args=[site.pk, home.pk]),
        reverse("wagtailadmin_pages:move_confirm", args=[index.pk, home.pk]),
        reverse("wagtailadmin_pages:history", args=[site.pk]),
        reverse("wagtailadmin_pages:add", args=["sitepages", "sitepage", index.pk]),
        reverse("wagtailadmin_pages:add", args=["sitepages", "siteindexpage", home.pk]),
    ]:
        assert_denied(client.get(url), url)
    listing = client.get(reverse("wagtailadmin_explore", args=[home.pk])).content.decode()
    assert index.title not in listing
    assert (
        client.get(reverse("wagtailadmin_explore", args=[index.pk]))
        .content.decode()
        .count("Site des Vignes")
        == 0
    )


def test_superusers_still_open_site_pages_in_the_admin(client, site):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("wagtailadmin_pages:edit", args=[site.pk])).status_code == 200
    home = HomePage.objects.get()
    listing = client.get(reverse("wagtailadmin_explore", args=[home.pk])).content.decode()
    assert site.get_parent().title in listing


@pytest.mark.parametrize(
    "role", [Role.LOCAL_ADMIN, Role.CORRESPONDANT, Role.INTERVENANT, Role.OBSERVATEUR_EXTERNE]
)
def test_other_roles_are_kept_out_of_the_admin(client, role):
    user = UserFactory(role=role)
    give_area(user, DepartmentFactory())
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/login/" in response.url or "/connexion/" in response.url
    assert client.get(f"/admin/pages/{Page.objects.get(depth=2).pk}/edit/").status_code in (
        302,
        403,
    )


def test_site_index_pages_exist_only_for_superusers_in_the_chooser(client, national_admin, site):
    client.force_login(national_admin)
    response = client.get(
        reverse("wagtailadmin_choose_page_child", args=[HomePage.objects.get().pk])
    )
    assert response.status_code == 200
    assert SiteIndexPage.objects.get().title not in response.content.decode()
