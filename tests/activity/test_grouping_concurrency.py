"""Two events on one object told at the same moment (two background workers): grouped one after
the other, no count lost, never two unread lines for one recipient."""

import pytest
from notifications.models import Notification

from activity import services
from activity.enums import NotificationKind
from tests.concurrency.harness import Rendezvous, race
from tests.directory.factories import UserFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_events_on_one_site_make_one_line_with_every_count(monkeypatch):
    readers = UserFactory.create_batch(3)
    actors = UserFactory.create_batch(3)
    site = SitePageFactory()
    rendezvous = Rendezvous()
    # Every worker reaches the lookup of the existing lines before any of them goes on.
    rendezvous.install(monkeypatch, services, "_lock_groups")

    def tell(actor):
        return lambda: services.notify(
            kind=NotificationKind.SITE_UPDATED,
            recipients=readers,
            actor=actor,
            verb="Un site a été mis à jour",
            target=site,
            url="/sites/1/",
        )

    outcomes = race(*(tell(actor) for actor in actors), rendezvous=rendezvous)

    assert [outcome.error for outcome in outcomes] == [None] * 3
    for reader in readers:
        (line,) = Notification.objects.filter(recipient=reader)
        assert line.data["count"] == 3
        assert len(line.data["actor_ids"]) == 3
