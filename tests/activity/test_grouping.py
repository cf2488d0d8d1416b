"""Notification floods (issue 16, item 4): repeated events on one object make one unread line
(count, people, first time), each notification shows the time of its event, not the time the
background task told it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from notifications.models import Notification

from activity.enums import NotificationKind
from activity.models import SiteEvent
from activity.notifications import notify_site_event
from activity.services import notify
from directory.enums import Role
from tests.activity.helpers import publish, run_tasks
from tests.api.support import api_client, token_for
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    department = DepartmentFactory()
    return {"department": department, "commune": CommuneFactory(department=department)}


def member(place, role=Role.INTERVENANT, **kwargs):
    user = UserFactory(role=role, **kwargs)
    give_area(user, place["department"])
    return user


def test_a_site_event_is_shown_at_its_own_time_not_when_the_task_ran(place, client):
    reader = member(place)
    author = member(place, Role.LOCAL_ADMIN)
    site = SitePageFactory(commune=place["commune"], title="Terrain rue des Peupliers")
    event = publish(site, author)
    occurred = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=17)
    SiteEvent.objects.filter(pk=event.pk).update(occurred_at=occurred)
    run_tasks()  # the background task runs 17 minutes after the event
    notification = Notification.objects.get(recipient=reader)
    assert notification.timestamp == occurred
    client.force_login(reader)
    page = client.get(reverse("activity:list")).content.decode()
    assert f'datetime="{timezone.localtime(occurred).isoformat()}"' in page
    assert timezone.localtime(occurred).strftime("%H:%M") in page


def test_repeated_updates_of_one_site_make_one_unread_line(place, client):
    reader = member(place)
    other_reader = member(place)
    alice = member(place, Role.LOCAL_ADMIN, first_name="Alice", last_name="Martin")
    bruno = member(place, Role.LOCAL_ADMIN, first_name="Bruno", last_name="Petit")
    site = SitePageFactory(commune=place["commune"], title="Terrain rue des Peupliers")
    other_site = SitePageFactory(commune=place["commune"], title="Campement du canal")
    first = timezone.make_aware(datetime.datetime(2026, 12, 4, 10, 0))
    for minutes, author in enumerate([alice, bruno, alice, alice, bruno]):
        event = publish(site, author)
        SiteEvent.objects.filter(pk=event.pk).update(
            occurred_at=first + datetime.timedelta(minutes=minutes * 30),
            kind=NotificationKind.SITE_UPDATED,
        )
    event = publish(other_site, alice)
    SiteEvent.objects.filter(pk=event.pk).update(kind=NotificationKind.SITE_UPDATED)
    run_tasks()

    lines = Notification.objects.filter(recipient=reader, data__kind="site_updated")
    assert lines.count() == 2  # one per site
    line = lines.get(target_object_id=str(site.pk))
    assert line.unread
    assert line.data["count"] == 5
    assert sorted(line.data["actors"]) == ["Alice Martin", "Bruno Petit"]
    assert line.timestamp == first + datetime.timedelta(minutes=120)  # the latest event
    assert datetime.datetime.fromisoformat(line.data["first_at"]) == first
    # Every recipient has their own line, grouped the same way.
    assert (
        Notification.objects.get(recipient=other_reader, target_object_id=str(site.pk)).data[
            "count"
        ]
        == 5
    )

    client.force_login(reader)
    page = client.get(reverse("activity:list")).content.decode()
    assert "5 mises à jour par 2 personnes depuis le 4 décembre à 10:00" in page
    assert page.count("Terrain rue des Peupliers") == 2  # the line and its "mark read" label


def test_a_read_line_is_never_changed_a_new_one_starts(place):
    reader = member(place)
    author = member(place, Role.LOCAL_ADMIN)
    site = SitePageFactory(commune=place["commune"])
    for _index in range(2):
        event = publish(site, author)
        SiteEvent.objects.filter(pk=event.pk).update(kind=NotificationKind.SITE_UPDATED)
        notify_site_event(event.pk)
    line = Notification.objects.get(recipient=reader)
    assert line.data["count"] == 2
    line.mark_as_read()
    event = publish(site, author)
    notify_site_event(event.pk)
    line.refresh_from_db()
    assert line.data["count"] == 2 and not line.unread
    new = Notification.objects.get(recipient=reader, unread=True)
    assert new.data["count"] == 1


def test_grouping_costs_the_same_queries_whatever_the_number_of_recipients(place):
    site = SitePageFactory(commune=place["commune"])
    actor = UserFactory()

    def send(users):
        return notify(
            kind=NotificationKind.SITE_UPDATED,
            recipients=users,
            actor=actor,
            verb="Un site a été mis à jour",
            target=site,
            url="/sites/1/",
        )

    counts = []
    for size in (3, 30):
        users = UserFactory.create_batch(size)
        send(users[: size // 2])  # half of them already have an unread line
        with CaptureQueriesContext(connection) as queries:
            send(users)
        counts.append(len(queries.captured_queries))
        assert Notification.objects.filter(recipient__in=users).count() == size
        assert sorted(
            Notification.objects.filter(recipient__in=users).values_list("data__count", flat=True)
        ) == [1] * (size - size // 2) + [2] * (size // 2)
    assert counts[0] == counts[1]


def test_the_api_gives_the_group(place):
    reader = member(place)
    author = member(place, Role.LOCAL_ADMIN, first_name="Alice", last_name="Martin")
    site = SitePageFactory(commune=place["commune"])
    for _index in range(3):
        event = publish(site, author)
        SiteEvent.objects.filter(pk=event.pk).update(kind=NotificationKind.SITE_UPDATED)
        notify_site_event(event.pk)
    client = api_client(secret=token_for(reader))
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 200, response.content
    (item,) = response.json()["results"]
    assert item["count"] == 3
    assert item["actors"] == ["Alice Martin"]
    assert item["first_at"]
    assert item["summary"].startswith("3 mises à jour par 1 personne depuis le ")
