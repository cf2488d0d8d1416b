"""The nearby-site warning on declaration (issue 21, part 2): an open site within 200 m, or with
the same address in the same commune, is named and linked; saving needs a confirmation."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.enums import Role
from sitepages.models import SitePage
from sitepages.nearby import distance_metres
from tests.directory.factories import CommuneFactory, DepartmentFactory
from tests.sitepages.edit_support import page_payload, user_with
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


def test_distance():
    # 0.001° of latitude is about 111 m.
    assert 110 < distance_metres(45.0, 4.8, 45.001, 4.8) < 112
    assert distance_metres(45.0, 4.8, 45.0, 4.8) == 0


@pytest.fixture
def setting():
    department = DepartmentFactory()
    commune = CommuneFactory(department=department)
    existing = SitePageFactory(
        commune=commune,
        name="Le Pré Vert",
        address="12 chemin des Saules",
        latitude=Decimal("45.750000"),
        longitude=Decimal("4.850000"),
    )
    return department, commune, existing


def declare(client, commune, **fields):
    form = client.get(reverse("site_create"))
    data = page_payload(
        form,
        commune=f"commune:{commune.pk}",
        declared_at=(timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        **fields,
    )
    return client.post(reverse("site_create"), data)


def test_a_site_within_200_m_is_named_and_saving_needs_a_confirmation(client, setting):
    department, commune, existing = setting
    client.force_login(user_with(Role.LOCAL_ADMIN, department))
    count = SitePage.objects.count()

    response = declare(client, commune, name="Nouveau", latitude="45.751000", longitude="4.850000")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce site est peut-être déjà sur la plateforme" in page
    assert existing.title in page and existing.url in page
    assert "à 111 m" in page
    assert "Je confirme qu’il s’agit d’un autre site" in page
    assert SitePage.objects.count() == count

    data = page_payload(response, confirm_nearby="1")
    response = client.post(reverse("site_create"), data)
    assert response.status_code == 302
    assert SitePage.objects.count() == count + 1


def test_same_address_in_the_same_commune(client, setting):
    department, commune, existing = setting
    client.force_login(user_with(Role.LOCAL_ADMIN, department))
    response = declare(client, commune, name="Autre", address="12, Chemin des Saules")
    page = response.content.decode()
    assert "même adresse dans la même commune" in page and existing.title in page


def test_far_closed_or_unreadable_sites_do_not_warn(client, setting):
    department, commune, existing = setting
    today = timezone.localdate()
    SitePageFactory(
        name="Fermé tout près",
        latitude=Decimal("45.750100"),
        longitude=Decimal("4.850000"),
        commune=commune,
        declared_at=today - datetime.timedelta(days=90),
        closed_at=today - datetime.timedelta(days=1),
    )
    client.force_login(user_with(Role.LOCAL_ADMIN, department))
    count = SitePage.objects.count()
    # 500 m north: no warning, saved at once.
    response = declare(client, commune, name="Loin", latitude="45.754500", longitude="4.850000")
    assert response.status_code == 302
    assert SitePage.objects.count() == count + 1

    # A local admin of another department declaring next to a site they may not read.
    other = DepartmentFactory()
    other_commune = CommuneFactory(department=other)
    client.force_login(user_with(Role.LOCAL_ADMIN, other))
    response = declare(
        client, other_commune, name="Voisin", latitude="45.750100", longitude="4.850000"
    )
    assert response.status_code == 302
