"""Site events from Wagtail publications, and who is told of them (recipient rules as a table)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from notifications.models import Notification

from activity import notifications, preferences
from activity.enums import NotificationKind
from activity.models import SiteEvent
from directory.enums import Role, UserStatus
from directory.models import PermissionException
from directory.permission_matrix import Feature, Scope
from tests.activity.helpers import publish, run_tasks
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    UserFactory,
    give_area,
)
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    here = DepartmentFactory()
    commune = CommuneFactory(department=here)
    return {
        "department": here,
        "commune": commune,
        "other commune": CommuneFactory(department=here),
        "region": here.region,
        "nation": None,
        "elsewhere": DepartmentFactory(),
    }


def draft_site(commune):
    """A site saved as a draft, never published yet."""
    return SitePageFactory(commune=commune, live=False, title="Site en brouillon")


def member(places, role, area, **kwargs):
    user = UserFactory(role=role, **kwargs)
    give_area(user, places[area])
    return user


def no_site_read(places):
    user = member(places, Role.INTERVENANT, "department")
    PermissionException.objects.create(user=user, feature=Feature.SITE_READ, scope=Scope.NONE)
    return user


def through_organization(places):
    organization = OrganizationFactory()
    give_area(organization, places["department"])
    return UserFactory(role=Role.OPERATEUR, organization=organization)


# case → (builder, told?)
CASES = {
    "field worker of the department": (
        lambda p: member(p, Role.INTERVENANT, "department"),
        True,
    ),
    "field worker of the site's commune": (
        lambda p: member(p, Role.INTERVENANT, "commune"),
        True,
    ),
    "field worker of another commune of the department": (
        lambda p: member(p, Role.INTERVENANT, "other commune"),
        False,
    ),
    "observer of the region": (lambda p: member(p, Role.OBSERVATEUR_EXTERNE, "region"), True),
    "national admin (nation)": (lambda p: member(p, Role.NATIONAL_ADMIN, "nation"), True),
    "operator through its organisation's area": (through_organization, True),
    "field worker elsewhere (wrong territory)": (
        lambda p: member(p, Role.INTERVENANT, "elsewhere"),
        False,
    ),
    "correspondent elsewhere (reads everywhere, not their territory)": (
        lambda p: member(p, Role.CORRESPONDANT, "elsewhere"),
        False,
    ),
    "no right to read sites": (no_site_read, False),
    "inactive account": (
        lambda p: member(p, Role.INTERVENANT, "department", status=UserStatus.INACTIVE),
        False,
    ),
    "new account (not activated)": (
        lambda p: member(p, Role.INTERVENANT, "department", status=UserStatus.NEW),
        False,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_who_is_told_of_a_site_event(places, case):
    builder, told = CASES[case]
    user = builder(places)
    author = member(places, Role.LOCAL_ADMIN, "department")
    site = SitePageFactory(commune=places["commune"])
    recipients = notifications.site_event_recipients(site, author=author)
    assert (user in recipients) is told
    assert author not in recipients


def test_the_author_and_opted_out_users_through_a_real_publication(places):
    author = member(places, Role.LOCAL_ADMIN, "department")
    reader = member(places, Role.INTERVENANT, "department")
    opted_out = member(places, Role.OPERATEUR, "department")
    preferences.set_preference(opted_out, NotificationKind.SITE_CREATED, False)
    elsewhere = member(places, Role.INTERVENANT, "elsewhere")

    site = draft_site(places["commune"])
    event = publish(site, author)
    assert event.kind == NotificationKind.SITE_CREATED
    run_tasks()  # the recipients are computed in the background, then the emails are sent

    told = set(Notification.objects.values_list("recipient", flat=True))
    assert told == {reader.pk, opted_out.pk}
    assert author.pk not in told and elsewhere.pk not in told
    assert [message.to for message in mail.outbox] == [[reader.email]]
    notification = Notification.objects.get(recipient=reader)
    assert notification.data["kind"] == NotificationKind.SITE_CREATED
    assert notification.data["url"] == site.url


def test_created_then_updated_then_closed(places):
    author = member(places, Role.LOCAL_ADMIN, "department")
    site = draft_site(places["commune"])
    assert publish(site, author).kind == NotificationKind.SITE_CREATED

    site.people = 12
    assert publish(site, author).kind == NotificationKind.SITE_UPDATED

    site.closed_at = timezone.localdate()
    site.closing_cause = "unknown"
    assert publish(site, author).kind == NotificationKind.SITE_CLOSED

    site.closing_context = "Précision."
    assert publish(site, author).kind == NotificationKind.SITE_UPDATED  # still closed

    # A draft that closes the site, published later: closed when published.
    other = draft_site(places["commune"])
    publish(other, author)
    other.closed_at = timezone.localdate() - datetime.timedelta(days=1)
    other.save_revision(user=author)  # draft only
    assert publish(other, author).kind == NotificationKind.SITE_CLOSED
    assert SiteEvent.objects.filter(site=site).count() == 4
