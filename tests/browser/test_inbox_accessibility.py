"""axe-core finds no violation in the inbox of messages received (list, filters, empty state,
details, marking handled) — Playwright driving Debian's Chromium."""

import pytest

from cms.enums import ContactRequestType, Recipients
from cms.models import ContactMessage, SiteReport
from directory.enums import Role
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_inbox_pages(live_server, page, axe):
    region = RegionFactory()
    rhone = DepartmentFactory(code="69", name="Rhône", region=region)
    DepartmentFactory(code="01", name="Ain", region=region)
    commune = CommuneFactory(name="Villeurbanne", department=rhone)
    admin = UserFactory(email="admin.region@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(admin, region)
    for index in range(30):
        ContactMessage.objects.create(
            request_type=ContactRequestType.HELP,
            first_name=f"Camille{index}",
            last_name="Martin",
            email=f"camille{index}@exemple.test",
            phone="06 12 34 56 78",
            organization="Association",
            department=rhone,
            message="Bonjour,\nj’ai une question.",
            routed_to=Recipients.LOCAL,
            recipients=[admin.email],
        )
    report = SiteReport.objects.create(
        commune=commune,
        address="Près du pont",
        approximate_people=20,
        description="Une dizaine de cabanes.",
        routed_to=Recipients.LOCAL,
        recipients=[admin.email],
    )
    first = ContactMessage.objects.order_by("pk").first()

    log_in(page, live_server, admin.email)
    for path in [
        "/messages-recus/",
        "/messages-recus/?page=2",
        "/messages-recus/?statut=traites",  # empty state
        "/messages-recus/signalements/?statut=tous&departement=69",
        f"/messages-recus/signalements/{report.pk}/",
    ]:
        page.goto(live_server.url + path)
        assert_no_violation(page, axe)

    # The inbox link lives in the header's « Gestion » menu, with the number to handle.
    link = page.locator("header a[href='/messages-recus/']").first
    assert "31" in link.text_content()  # 30 messages and 1 report to handle

    page.goto(live_server.url + f"/messages-recus/messages/{first.pk}/")
    assert_no_violation(page, axe)
    page.locator("main form[action$='/traite/'] button").click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)  # with the success message and the history
    first.refresh_from_db()
    assert first.handled and first.handled_by_id == admin.pk
    assert "30" in page.locator("header a[href='/messages-recus/']").first.text_content()
    page.locator("main form[action$='/rouvrir/'] button").click()
    page.wait_for_load_state()
    first.refresh_from_db()
    assert not first.handled
