"""Site pages show their actions (through `sitepages.hooks`); the site list filters on them."""

import pytest
from django.urls import reverse

from directory.enums import Role
from tests.actions.factories import ActionFactory
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory()


def reader(department, role=Role.INTERVENANT):
    user = UserFactory(role=role)
    give_area(user, department)
    return user


def test_a_site_page_shows_its_actions(client, department):
    site = SitePageFactory(commune=CommuneFactory(department=department))
    action = ActionFactory(department=department, name="Médiation scolaire")
    action.sites.add(site)
    client.force_login(reader(department))
    html = client.get(site.url).content.decode()
    assert 'id="actions"' in html
    assert "Médiation scolaire" in html
    assert action.operator_rows.get().organization.name in html


def test_a_site_page_without_action_says_so(client, department):
    site = SitePageFactory(commune=CommuneFactory(department=department))
    client.force_login(reader(department))
    html = client.get(site.url).content.decode()
    assert "Aucune action de résorption sur ce site" in html


def test_the_site_list_filters_with_and_without_an_action(client, department):
    commune = CommuneFactory(department=department)
    with_action = SitePageFactory(commune=commune, name="Avec")
    without_action = SitePageFactory(commune=commune, name="Sans")
    ActionFactory(department=department).sites.add(with_action)
    client.force_login(reader(department, Role.LOCAL_ADMIN))

    def titles(**params):
        response = client.get(reverse("site_list"), params)
        assert response.status_code == 200
        return {row["site"].pk for row in response.context["page_obj"].rows}

    assert titles() == {with_action.pk, without_action.pk}
    assert titles(action="avec") == {with_action.pk}
    assert titles(action="sans") == {without_action.pk}


def test_the_action_page_lists_only_the_sites_the_reader_may_list(client, department):
    site = SitePageFactory(commune=CommuneFactory(department=department), name="Visible")
    action = ActionFactory(department=department)
    action.sites.add(site)
    pilot = UserFactory(role=Role.INTERVENANT)
    give_area(pilot, DepartmentFactory())  # pilot elsewhere: reads the action, not the site
    action.pilots.add(pilot)
    client.force_login(pilot)
    html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert site.title not in html
    client.force_login(reader(department))
    html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert site.title in html


def test_the_dashboard_has_an_actions_block(client, department):
    import datetime

    from django.utils import timezone

    from actions.models import ActionIndicators

    year = timezone.localdate().year
    action = ActionFactory(department=department, started_at=datetime.date(year, 1, 1))
    ActionIndicators.objects.create(
        action=action, year=year, people=40, minors=10, housed_people=7, school_primary=6
    )
    ActionFactory(department=DepartmentFactory())  # out of reach
    client.force_login(reader(department, Role.LOCAL_ADMIN))
    response = client.get(reverse("site_dashboard"))
    assert response.status_code == 200
    (block,) = [b for b in response.context["extra_blocks"] if "ongoing" in b]
    assert (block["ongoing"], block["people"], block["housed"], block["in_school"]) == (
        1,
        40,
        7,
        6,
    )
    assert 'id="dashboard-actions-block"' in response.content.decode()
