"""Closing a site: who may, the rules, the solutions, and closed sites becoming read-only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.enums import Role, UserOption
from sitepages.enums import ClosingCause, SolutionType
from sitepages.models import SitePage
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import form_payload, site_in, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def here():
    return DepartmentFactory()


def closing_data(response, **overrides):
    return form_payload(response.context["form"], **overrides)


CLOSERS = {
    "local admin": (Role.LOCAL_ADMIN, [], 200),
    "correspondant": (Role.CORRESPONDANT, [], 200),
    "operateur": (Role.OPERATEUR, [], 403),
    "operateur with the close option": (Role.OPERATEUR, [UserOption.CLOSE_SITE], 200),
    "intervenant": (Role.INTERVENANT, [], 403),
}


@pytest.mark.parametrize("case", CLOSERS)
def test_who_may_close_a_site(client, here, case):
    role, options, status = CLOSERS[case]
    site = site_in(here)
    client.force_login(user_with(role, here, options=options))
    assert client.get(reverse("site_close", args=[site.pk])).status_code == status


def test_closing_with_solutions_makes_the_site_resorbed(client, here):
    site = site_in(here, people=40, households=10)
    user = user_with(Role.CORRESPONDANT, here)
    client.force_login(user)
    url = reverse("site_close", args=[site.pk])
    data = closing_data(
        client.get(url),
        closing_cause=ClosingCause.RESORPTION,
        closed_with_solutions="True",
        people_housing="20",
        households_housing="5",
        people_emergency_shelter="10",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    site = SitePage.objects.get(pk=site.pk)
    assert site.closed_at == timezone.localdate() and site.is_resorbed
    solutions = {
        row.solution_type: (row.people, row.households) for row in site.closing_solutions.all()
    }
    assert solutions == {SolutionType.HOUSING: (20, 5), SolutionType.EMERGENCY_SHELTER: (10, None)}
    assert site.latest_revision.user == user
    assert SitePage.objects.resorbed().filter(pk=site.pk).exists()


CLOSING_RULES = {
    "closed_at": {"closed_at": "2000-01-01"},
    "closing_context": {"closing_cause": ClosingCause.OTHER, "closing_context": ""},
    "closed_with_solutions": {"closed_with_solutions": "False", "people_housing": "3"},
    "households_housing": {"people_housing": "2", "households_housing": "3"},
}


@pytest.mark.parametrize("field", CLOSING_RULES)
def test_closing_rules_show_next_to_their_field(client, here, field):
    site = site_in(
        here,
        people=40,
        households=10,
        declared_at=timezone.localdate() - datetime.timedelta(days=9),
    )
    client.force_login(user_with(Role.LOCAL_ADMIN, here))
    url = reverse("site_close", args=[site.pk])
    data = closing_data(
        client.get(url), closing_cause=ClosingCause.UNKNOWN, closed_with_solutions="True"
    )
    data.update(CLOSING_RULES[field])
    response = client.post(url, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert SitePage.objects.get(pk=site.pk).closed_at is None


def test_solutions_cannot_exceed_the_population(client, here):
    site = site_in(here, people=10, households=3)
    client.force_login(user_with(Role.LOCAL_ADMIN, here))
    url = reverse("site_close", args=[site.pk])
    data = closing_data(
        client.get(url),
        closing_cause=ClosingCause.RESORPTION,
        closed_with_solutions="True",
        people_housing="8",
        people_asylum="8",
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "closed_with_solutions" in response.context["form"].errors


@pytest.mark.parametrize(
    "role, options, status",
    [
        (Role.OPERATEUR, [], 403),  # updates open sites only
        (Role.OPERATEUR, [UserOption.CLOSE_SITE], 200),  # entitled to correct
        (Role.LOCAL_ADMIN, [], 200),
    ],
)
def test_a_closed_site_is_read_only_except_for_closers(client, here, role, options, status):
    site = site_in(here, closed_at=timezone.localdate(), closing_cause=ClosingCause.UNKNOWN)
    client.force_login(user_with(role, here, options=options))
    assert client.get(reverse("site_edit", args=[site.pk])).status_code == status
    page = client.get(site.url).content.decode()
    assert ('id="site-edit-link"' in page) is (status == 200)
    assert 'id="site-visit-button"' not in page


@pytest.mark.parametrize(
    "role, links",
    [
        (
            Role.LOCAL_ADMIN,
            {
                "site-edit-link",
                "site-visit-button",
                "site-close-link",
                "site-history-link",
                "site-decrees-link",
            },
        ),
        (Role.OPERATEUR, {"site-edit-link", "site-visit-button", "site-history-link"}),
        (Role.INTERVENANT, {"site-history-link"}),
    ],
)
def test_reader_page_links_follow_permissions(client, here, role, links):
    site = site_in(here)
    client.force_login(user_with(role, here))
    page = client.get(site.url).content.decode()
    every = {
        "site-edit-link",
        "site-visit-button",
        "site-close-link",
        "site-history-link",
        "site-decrees-link",
    }
    assert {link for link in every if f'id="{link}"' in page} == links
