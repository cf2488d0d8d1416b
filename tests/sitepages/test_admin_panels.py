"""The Wagtail admin form of a site, per user: sensitive panels hidden and never overwritten; the
map widget served locally."""

import pytest
from django.test import RequestFactory

from directory.enums import Role
from sitepages.enums import OwnerType
from sitepages.models import SiteOwner, SitePage
from sitepages.models.admin_form import parse_point
from sitepages.models.panels import LocalLeafletField
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import site_in, user_with

pytestmark = pytest.mark.django_db


def bound(site, user):
    handler = SitePage.get_edit_handler()
    form_class = handler.get_form_class()
    form = form_class(instance=site, for_user=user)
    request = RequestFactory().get("/admin/")
    request.user = user
    return form, handler.get_bound_panel(instance=site, request=request, form=form)


def shown_tabs(panel):
    return {str(child.heading) for child in panel.children if child.is_shown()}


@pytest.mark.parametrize(
    "role, owners, justice",
    [
        (Role.LOCAL_ADMIN, True, True),
        (Role.PARTENAIRE_INSTITUTIONNEL, True, False),
        (Role.OPERATEUR, False, False),
    ],
)
def test_sensitive_panels_follow_the_user_rights(role, owners, justice):
    here = DepartmentFactory()
    site = site_in(here)
    SiteOwner.objects.create(site=site, type=OwnerType.PRIVATE, name="Nom")
    form, panel = bound(SitePage.objects.get(pk=site.pk), user_with(role, here))

    assert ("owners" in form.formsets) is owners
    assert ("justice_court" in form.fields) is justice
    tabs = shown_tabs(panel)
    assert ("Propriétaires" in tabs or "Owners" in tabs) is owners
    assert ("Procédures" in tabs or "Procedures" in tabs) is justice
    html = panel.render_html()
    assert ('name="justice_court"' in html) is justice


def test_the_map_widget_uses_the_local_leaflet():
    media = str(LocalLeafletField().media)
    assert "vendor/leaflet/leaflet.js" in media and "vendor/leaflet/leaflet.css" in media
    assert "http" not in media


@pytest.mark.parametrize(
    "value, expected",
    [
        ("SRID=4326;POINT(2.3522 48.8566)", ("48.856600", "2.352200")),
        ("POINT(-1.5 47.2)", ("47.200000", "-1.500000")),
        ("POINT(200 48)", None),
        ("nonsense", None),
        ("", None),
    ],
)
def test_points_from_the_map(value, expected):
    point = parse_point(value)
    assert (tuple(str(part) for part in point) if point else None) == expected


def test_the_admin_edit_page_renders_the_local_map_and_saves(client):
    from django.urls import reverse

    site = site_in(DepartmentFactory(), latitude="48.850000", longitude="2.350000")
    admin = user_with(Role.NATIONAL_ADMIN, None, is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[site.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/leaflet/leaflet.js" in html
    assert "unpkg.com" not in html
    assert 'name="location"' in html and "POINT(2.350000 48.850000)" in html


def admin_payload(response, **changes) -> dict:
    """What Wagtail's edit form of a site posts back as shown, with `changes`."""
    from tests.sitepages.edit_support import form_payload, formset_payload

    form = response.context["form"]
    data = form_payload(form)
    for formset in form.formsets.values():
        data.update(formset_payload(formset))
    data["loaded_revision_id"] = str(response.context["page"].latest_revision_id or "")
    data["loaded_revision_created_at"] = response.context.get("loaded_revision_created_at") or ""
    data["action-publish"] = "action-publish"
    return {**data, **changes}


def test_the_admin_editor_runs_under_the_sites_lock_and_never_overwrites_a_newer_version(client):
    """A superuser's admin form, opened before a change saved through the platform's screens,
    used to publish the whole page over it (Wagtail's plain save does not check the revision it
    started from). It is refused with the input kept; opened again, it saves."""
    from django.urls import reverse

    from sitepages import services

    here = DepartmentFactory()
    site = site_in(here, people=10, households=3)
    services.record_visit(site=site, user=None)  # a first revision
    admin = user_with(Role.NATIONAL_ADMIN, None, is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:edit", args=[site.pk])
    shown = admin_payload(client.get(url), people="55")
    services.change_site(
        site=site, user=None, change=lambda state: setattr(state, "households", 7) or True
    )

    refused = client.post(url, shown)

    assert refused.status_code == 200
    assert "depuis l’ouverture de ce formulaire" in refused.content.decode()
    now = SitePage.objects.get(pk=site.pk)
    assert (now.people, now.households) == (10, 7)
    assert refused.context["form"]["people"].value() == "55"

    saved = client.post(url, admin_payload(client.get(url), people="55"))

    assert saved.status_code == 302, saved.context["form"].errors
    now = SitePage.objects.get(pk=site.pk)
    assert (now.people, now.households) == (55, 7)
