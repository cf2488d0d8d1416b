"""axe-core finds no violation on the notification pages (Playwright driving Debian's Chromium)."""

import pytest
from django.utils import timezone

from activity import preferences
from activity.enums import NotificationKind
from activity.models import SiteEvent
from activity.services import create_notifications
from directory.enums import Role
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_notification_pages(live_server, page, axe):
    department = DepartmentFactory()
    user = UserFactory(email="lectrice@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(user, department)
    site = SitePageFactory(commune__department=department)
    SiteEvent.objects.create(
        kind=NotificationKind.SITE_CREATED, site=site, title=site.title, occurred_at=timezone.now()
    )
    notifications = create_notifications(
        kind=NotificationKind.SITE_UPDATED,
        users=[user] * 25,
        actor=UserFactory(),
        verb="Un site a été mis à jour",
        url=site.url,
    )
    assert len(notifications) == 25

    log_in(page, live_server, "lectrice@exemple.test")
    for path in [
        "/notifications/",
        "/notifications/?page=2",
        "/notifications/preferences/",
        "/notifications/activite/",
        "/notifications/activite/?type=journal",  # empty state
    ]:
        page.goto(live_server.url + path)
        assert_no_violation(page, axe)
    bell = page.locator("header .fr-icon-notification-3-line").first
    assert "25" in bell.inner_text()

    page.goto(live_server.url + "/notifications/")
    page.locator("form[action$='/tout-lu/'] button").click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)  # empty of unread ones, with the success message

    page.goto(live_server.url + preferences.unsubscribe_path(user, NotificationKind.SITE_UPDATED))
    assert_no_violation(page, axe)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)
    assert not preferences.email_wanted(user, NotificationKind.SITE_UPDATED)
