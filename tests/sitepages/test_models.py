import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from directory import perms
from directory.enums import Role
from directory.permission_matrix import Feature
from sitepages.enums import Origin, OwnerType, SocialDiagnosisStatus, SolutionType, WaterAccessType
from sitepages.models import ClosingSolution, SiteIndexPage, SiteOwner, SitePage
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SiteIndexPageFactory, SitePageFactory

pytestmark = pytest.mark.django_db


def test_sites_live_under_their_department_index_page():
    site = SitePageFactory()
    index = site.get_parent().specific
    assert isinstance(index, SiteIndexPage)
    assert index.department == site.commune.department
    sibling = SitePageFactory(commune=CommuneFactory(department=index.department))
    assert sibling.get_parent().pk == index.pk
    assert site.title == f"{site.name} — {site.address}"
    assert site.slug


def test_page_tree_rules():
    assert SitePage.allowed_parent_page_models() == [SiteIndexPage]
    assert SitePage.allowed_subpage_models() == []
    assert SiteIndexPage.allowed_subpage_models() == [SitePage]


def test_one_index_page_per_department():
    index = SiteIndexPageFactory()
    # Wagtail validates a page before saving it: the unique department is refused there, named.
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        SiteIndexPageFactory(department=index.department, title="Doublon")
    assert list(refused.value.message_dict) == ["department"], refused.value.message_dict
    assert SiteIndexPage.objects.filter(department=index.department).count() == 1


def test_closed_and_resorbed():
    today = timezone.localdate()
    site = SitePage(declared_at=today)
    assert not site.is_closed and not site.is_resorbed
    site.closed_at = today
    assert site.is_closed and not site.is_resorbed
    site.closed_with_solutions = False
    assert not site.is_resorbed
    site.closed_with_solutions = True
    assert site.is_resorbed


def test_resorbed_queryset():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    open_site = SitePageFactory()
    closed = SitePageFactory(closed_at=yesterday, closed_with_solutions=False)
    resorbed = SitePageFactory(closed_at=yesterday, closed_with_solutions=True)
    assert list(SitePage.objects.open()) == [open_site]
    assert set(SitePage.objects.closed()) == {closed, resorbed}
    assert list(SitePage.objects.resorbed()) == [resorbed]


def test_completion_lists_what_is_missing():
    site = SitePage(declared_at=timezone.localdate())
    result = site.completion
    assert result.done == 0 and result.total == 10 and result.rate == 0
    assert result.missing_keys == [
        "address",
        "owner_type",
        "social_diagnosis_status",
        "people",
        "households",
        "minors",
        "origins",
        "water_access_type",
        "electricity_access",
        "waste_collection",
    ]


def test_a_complete_site():
    site = SitePageFactory(
        address="1 rue de la Gare",
        social_diagnosis_status=SocialDiagnosisStatus.NONE,
        people=12,
        households=3,
        minors=0,
        origins=[Origin.EUROPEAN],
        water_access_type=WaterAccessType.TANK,
        electricity_access=False,
        waste_collection=True,
    )
    assert site.completion.missing_keys == ["owner_type"]
    assert site.completion.rate == pytest.approx(0.9)
    site.owners = [SiteOwner(type=OwnerType.UNKNOWN)]
    assert not site.completion.is_complete  # an unknown owner type is not known
    site.owners = [SiteOwner(type=OwnerType.PUBLIC, name="Commune")]
    site.save()
    site = SitePage.objects.get(pk=site.pk)
    assert site.completion.is_complete and site.completion.rate == 1


def test_children_are_saved_with_the_page():
    site = SitePageFactory(
        people=10,
        households=4,
        closed_at=timezone.localdate(),
        closed_with_solutions=True,
        heatwave=True,
    )
    site.closing_solutions = [
        ClosingSolution(solution_type=SolutionType.HOUSING, people=6, households=2)
    ]
    actor = UserFactory()
    site.actors = [site.actors.model(user=actor, themes=["health", "school"])]
    site.save_revision().publish()
    site = SitePage.objects.get(pk=site.pk)
    assert site.closing_solutions.get().people == 6
    assert site.actors.get().user == actor
    assert site.is_resorbed


def test_visible_to_follows_the_permissions():
    department = DepartmentFactory()
    here = SitePageFactory(commune=CommuneFactory(department=department))
    elsewhere = SitePageFactory()
    local = UserFactory(role=Role.INTERVENANT)
    give_area(local, department)
    outsider = UserFactory(role=Role.INTERVENANT)
    give_area(outsider, elsewhere.commune.department)
    national = UserFactory(role=Role.CORRESPONDANT)
    give_area(national, CommuneFactory().department)

    for user in (local, outsider, national):
        visible = set(SitePage.objects.visible_to(user))
        for site in (here, elsewhere):
            assert (site in visible) == perms.can(user, Feature.SITE_READ, site)
    assert set(SitePage.objects.visible_to(local)) == {here}
    assert set(SitePage.objects.visible_to(outsider)) == {elsewhere}
    assert set(SitePage.objects.visible_to(national)) == {here, elsewhere}


def test_visible_to_a_commune_area_widens_to_the_department():
    commune = CommuneFactory()
    neighbour = SitePageFactory(commune=CommuneFactory(department=commune.department))
    user = UserFactory(role=Role.OPERATEUR)
    give_area(user, commune)
    assert list(SitePage.objects.visible_to(user)) == [neighbour]


def test_admin_edit_form_renders_every_tab(client):
    site = SitePageFactory()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[site.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    for field in ("commune", "water_access_type", "origins", "justice_court", "closed_at"):
        assert field in form.fields


def test_admin_creates_a_site_with_multiple_choices_and_children(client):
    index = SiteIndexPageFactory()
    commune = CommuneFactory(department=index.department)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    data = nested_form_data(
        {
            "title": "Terrain des Peupliers",
            "slug": "terrain-des-peupliers",
            "commune": commune.pk,
            "field_type": "land",
            "declared_at": str(timezone.localdate()),
            "water_access_type": WaterAccessType.UNKNOWN,
            "people": 12,
            "households": 4,
            "owners": inline_formset([{"type": OwnerType.PRIVATE, "name": "SCI Exemple"}]),
            "closing_solutions": inline_formset([]),
            "actors": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data["origins"] = [Origin.FRENCH, Origin.EUROPEAN]  # nested_form_data would split the list
    url = reverse("wagtailadmin_pages:add", args=["sitepages", "sitepage", index.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    site = SitePage.objects.get(slug="terrain-des-peupliers")
    assert site.origins == [Origin.FRENCH, Origin.EUROPEAN]
    assert site.owners.get().name == "SCI Exemple"


def test_admin_shows_validation_errors(client):
    index = SiteIndexPageFactory()
    commune = CommuneFactory(department=index.department)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    data = nested_form_data(
        {
            "title": "Site",
            "slug": "site",
            "commune": commune.pk,
            "field_type": "land",
            "declared_at": str(timezone.localdate()),
            "water_access_type": WaterAccessType.UNKNOWN,
            "people": 2,
            "households": 3,
            "owners": inline_formset([]),
            "closing_solutions": inline_formset([]),
            "actors": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["sitepages", "sitepage", index.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "households" in response.context["form"].errors
    assert not SitePage.objects.exists()


def test_site_pages_are_never_served_publicly(client):
    """Anonymous visitors are sent to the login page (who reads what: test_reader_pages.py)."""
    site = SitePageFactory()
    for url in (site.url, site.get_parent().url):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
