"""A join sent twice at once (a double click, two tabs): one actor row, the other actors told
once; no 500. The rendezvous holds both requests just before publishing: without the site's
lock both would build their revision from the same state."""

import pytest
from django.urls import reverse
from notifications.models import Notification

from core.notifications import NotificationKind
from directory.enums import Role, Topic
from sitepages import services
from sitepages.models import SiteActor
from tests.concurrency.harness import Rendezvous, logged_in, post, race
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 10


def test_a_join_sent_twice_at_once_makes_one_actor(monkeypatch):
    here = DepartmentFactory()
    site = SitePageFactory(commune=CommuneFactory(department=here))
    people = []
    for _ in range(2):
        person = UserFactory(role=Role.INTERVENANT)
        give_area(person, here)
        people.append(person)
    first, worker = people
    SiteActor.objects.create(site=site, user=first, themes=[Topic.OTHER])
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, services, "_publish")
    url = reverse("site_actor_join", args=[site.pk])
    for _ in range(REPETITIONS):
        SiteActor.objects.filter(site=site, user=worker).delete()
        Notification.objects.all().delete()
        outcomes = race(
            post(logged_in(worker), url, {"themes": [Topic.HEALTH]}),
            post(logged_in(worker), url, {"themes": [Topic.HEALTH]}),
            rendezvous=rendezvous,
        )
        assert [outcome.status for outcome in outcomes] == [302, 302]
        assert SiteActor.objects.filter(site=site, user=worker).count() == 1
        joined = Notification.objects.filter(
            recipient=first, data__kind=NotificationKind.SITE_ACTOR_JOINED
        )
        assert joined.count() == 1
