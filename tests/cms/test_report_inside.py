"""« Signaler un nouveau site » inside the platform for those who may not declare a site, routed
like the public report and pre-filled with the member's identity (issue 16, item 11)."""

import pytest
from django.urls import reverse

from cms.models import ReportSitePage
from directory.enums import Role
from tests.cms.factories import add_page
from tests.directory.factories import DepartmentFactory, UserFactory, give_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_page():
    return add_page(ReportSitePage, title="Signaler un site", slug="signaler-un-site")


def member(role):
    user = UserFactory(role=role, first_name="Awa", last_name="Diallo", phone="06 12 34 56 78")
    give_area(user, DepartmentFactory())
    return user


def test_a_field_worker_reports_a_new_site_from_the_list(client, report_page):
    user = member(Role.INTERVENANT)
    client.force_login(user)
    listing = client.get(reverse("site_list")).content.decode()
    assert "Signaler un nouveau site" in listing and f'href="{report_page.url}"' in listing
    form = client.get(report_page.url).context["form"]
    assert form["reporter_name"].value() == "Awa Diallo"
    assert form["reporter_email"].value() == user.email
    assert form["reporter_phone"].value() == "06 12 34 56 78"


def test_those_who_declare_sites_get_the_declare_button_instead(client, report_page):
    client.force_login(member(Role.LOCAL_ADMIN))
    listing = client.get(reverse("site_list")).content.decode()
    assert "Signaler un nouveau site" not in listing and "Déclarer un site" in listing


def test_the_public_form_stays_empty_for_visitors(client, report_page):
    form = client.get(report_page.url).context["form"]
    assert not form["reporter_email"].value()
