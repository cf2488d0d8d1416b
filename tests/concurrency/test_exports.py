"""Exports downloaded at the same moment (a double click, two tabs, two people): every download
is logged, once, with what its own file holds (issue 15, part 2). An export log is one insert,
with nothing read before it: there is no check to race, and no download may be merged with
another one."""

import csv
import io

import pytest
from wagtail.models import ModelLogEntry

from directory.enums import Role
from journal import views_export as journal_views
from journal.models import JournalExport
from sitepages import views_export as site_views
from sitepages.models import SiteExport
from tests.concurrency.harness import Rendezvous, logged_in, race
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.journal.factories import EntryFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def rows(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv"), response.content[:300]
    text = response.content.decode("utf-8")[1:]
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def world():
    here = DepartmentFactory()
    sites = [SitePageFactory(commune=CommuneFactory(department=here)) for _ in range(2)]
    for site in sites:
        EntryFactory(site=site, author=UserFactory(role=Role.LOCAL_ADMIN))
    admins = []
    for _ in range(2):
        admin = UserFactory(role=Role.NATIONAL_ADMIN)
        give_area(admin, None)
        admins.append(admin)
    return admins


@pytest.mark.parametrize("who", ["one person, two tabs", "two people"])
def test_site_exports_downloaded_at_once_are_each_logged_once(world, monkeypatch, who):
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, site_views, "_file")
    users = [world[0], world[0]] if who == "one person, two tabs" else world
    clients = [logged_in(user) for user in users]
    data = {"file_format": "csv", "sections": ["localisation", "site"], "as_of": ""}

    outcomes = race(
        *((lambda c=c: c.post("/sites/export/?statut=tous", data)) for c in clients),
        rendezvous=rendezvous,
    )

    assert [outcome.status for outcome in outcomes] == [200, 200]
    records = list(SiteExport.objects.order_by("pk"))
    assert sorted(record.user_id for record in records) == sorted(user.pk for user in users)
    assert sorted(record.site_count for record in records) == sorted(
        len(rows(outcome.response)) for outcome in outcomes
    )
    logged = ModelLogEntry.objects.filter(action="sitepages.export")
    assert sorted(int(entry.object_id) for entry in logged) == [record.pk for record in records]


@pytest.mark.parametrize("who", ["one person, two tabs", "two people"])
def test_journal_exports_downloaded_at_once_are_each_logged_once(world, monkeypatch, who):
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, journal_views, "_file")
    users = [world[0], world[0]] if who == "one person, two tabs" else world
    clients = [logged_in(user) for user in users]

    outcomes = race(
        *((lambda c=c: c.post("/journal/export/", {"file_format": "csv"})) for c in clients),
        rendezvous=rendezvous,
    )

    assert [outcome.status for outcome in outcomes] == [200, 200]
    records = list(JournalExport.objects.order_by("pk"))
    assert sorted(record.user_id for record in records) == sorted(user.pk for user in users)
    assert sorted(record.entry_count for record in records) == sorted(
        len(rows(outcome.response)) for outcome in outcomes
    )
    logged = ModelLogEntry.objects.filter(action="journal.export")
    assert sorted(int(entry.object_id) for entry in logged) == [record.pk for record in records]
