"""Concurrent writes to one journal message: every version kept, every moderation done once,
every refusal explained (issue 15, part 2). The rendezvous holds both requests just after
their checks, which, without the entry's lock, lets both act on what they read before."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory.enums import Role
from journal import services
from journal.enums import Audience, EntryState, ReportStatus
from journal.models import Entry, EntryRevision, Report
from tests.concurrency.harness import Rendezvous, logged_in, post, race, told
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.journal.factories import EntryFactory, ReportFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 3


def member(role, territory):
    user = UserFactory(role=role)
    give_area(user, territory)
    return user


@pytest.fixture
def world():
    here = DepartmentFactory()
    site = SitePageFactory(commune=CommuneFactory(department=here))
    author = member(Role.OPERATEUR, here)
    moderators = [member(Role.LOCAL_ADMIN, here), member(Role.LOCAL_ADMIN, here)]
    return site, author, moderators


def meet_at(monkeypatch, name):
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, services, name)
    return rendezvous


def test_two_edits_of_one_message_at_once_keep_every_version(world, monkeypatch):
    """The author saves from two tabs at once: both saves accepted, the history holds every
    version (each revision keeps the text the other save replaced)."""
    site, author, _moderators = world
    rendezvous = meet_at(monkeypatch, "remove_attachments")
    tabs = [logged_in(author), logged_in(author)]
    for repetition in range(REPETITIONS):
        entry = EntryFactory(site=site, author=author, text=f"Version 0 ({repetition})")
        url = reverse("journal:edit", args=[entry.pk])
        texts = [f"Version {n} ({repetition})" for n in (1, 2)]

        outcomes = race(
            *(
                post(tab, url, {"text": text, "audience": Audience.SITE_READERS})
                for tab, text in zip(tabs, texts, strict=True)
            ),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302]
        kept = {revision.text for revision in EntryRevision.objects.filter(entry=entry)}
        current = Entry.objects.get(pk=entry.pk).text
        assert kept | {current} == {f"Version 0 ({repetition})", *texts}, (repetition, kept)


def test_two_moderators_hiding_one_message_at_once(world, monkeypatch):
    """Hidden once, logged once, the author told once; the slower moderator is told that
    another one was quicker."""
    site, author, moderators = world
    rendezvous = meet_at(monkeypatch, "_close_reports")
    clients = [logged_in(moderator) for moderator in moderators]
    for repetition in range(REPETITIONS):
        entry = EntryFactory(site=site, author=author)
        url = reverse("journal:hide", args=[entry.pk])

        outcomes = race(
            *(post(client, url, {"reason": f"Motif {n}"}) for n, client in enumerate(clients)),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert Entry.objects.get(pk=entry.pk).state == EntryState.HIDDEN
        hides = ModelLogEntry.objects.filter(action=services.ACTION_HIDE, object_id=str(entry.pk))
        assert hides.count() == 1, repetition
        assert "Ce message a déjà été masqué par un autre modérateur." in told(outcomes)


def test_two_moderators_dismissing_reports_at_once(world, monkeypatch):
    site, author, moderators = world
    rendezvous = meet_at(monkeypatch, "log")
    clients = [logged_in(moderator) for moderator in moderators]
    reader = member(Role.INTERVENANT, site.commune.department)
    for repetition in range(REPETITIONS):
        entry = EntryFactory(site=site, author=author)
        ReportFactory(entry=entry, reporter=reader)
        url = reverse("journal:dismiss", args=[entry.pk])

        outcomes = race(
            *(post(client, url, {"reason": "Rien d’anormal"}) for client in clients),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert not Report.objects.filter(entry=entry, status=ReportStatus.OPEN).exists()
        dismissals = ModelLogEntry.objects.filter(
            action=services.ACTION_DISMISS, object_id=str(entry.pk)
        )
        assert dismissals.count() == 1, repetition
        assert "Les signalements ont déjà été traités par un autre modérateur." in told(outcomes)


def test_two_deletions_of_one_message_at_once(world, monkeypatch):
    site, author, moderators = world
    rendezvous = meet_at(monkeypatch, "log")
    clients = [logged_in(author), logged_in(moderators[0])]
    for repetition in range(REPETITIONS):
        entry = EntryFactory(site=site, author=author)
        url = reverse("journal:delete", args=[entry.pk])

        outcomes = race(*(post(client, url, {}) for client in clients), rendezvous=rendezvous)

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert not Entry.objects.filter(pk=entry.pk).exists()
        deletions = ModelLogEntry.objects.filter(
            action=services.ACTION_DELETE, object_id=str(entry.pk)
        )
        assert deletions.count() == 1, repetition
        assert "Ce message a été supprimé entre-temps." in told(outcomes)


def test_two_moderators_restoring_one_message_at_once(world, monkeypatch):
    site, author, moderators = world
    rendezvous = meet_at(monkeypatch, "log")
    clients = [logged_in(moderator) for moderator in moderators]
    for repetition in range(REPETITIONS):
        entry = EntryFactory(site=site, author=author)
        services.hide_entry(entry=entry, by=moderators[0], reason="Hors charte")
        url = reverse("journal:restore", args=[entry.pk])

        outcomes = race(
            *(post(client, url, {"reason": "Erreur"}) for client in clients),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert Entry.objects.get(pk=entry.pk).state == EntryState.PUBLISHED
        restores = ModelLogEntry.objects.filter(
            action=services.ACTION_RESTORE, object_id=str(entry.pk)
        )
        assert restores.count() == 1, repetition
        assert "Ce message a déjà été rétabli par un autre modérateur." in told(outcomes)


def test_one_reader_reporting_one_message_twice_at_once(world):
    """A double click on « Signaler »: one open report (the partial unique constraint
    `journal_one_open_report_per_reader`), no 500."""
    site, author, _moderators = world
    reader = member(Role.INTERVENANT, site.commune.department)
    tabs = [logged_in(reader), logged_in(reader)]
    for repetition in range(REPETITIONS):
        entry = EntryFactory(site=site, author=author)
        url = reverse("journal:report", args=[entry.pk])

        outcomes = race(*(post(tab, url, {"reason": "Propos injurieux"}) for tab in tabs))

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert Report.objects.filter(entry=entry, status=ReportStatus.OPEN).count() == 1


def test_a_post_and_an_edit_of_its_site_at_once_never_deadlock(world, settings):
    """An edit holds its site's lock and, publishing, writes the page cache's version (one row
    of the shared cache's table); a journal post on that site meanwhile. The post used to write
    that version first (its log entry is a Wagtail model) and then wait, at COMMIT, for the
    site's lock (its foreign key is checked then): each waited for the other, PostgreSQL killed
    one — a 503 for the user (found by the `make bench` write mix). The post now takes the
    site's lock first, as every write to a site does."""
    import threading
    import time

    from django.db import connections, transaction

    from core import pagecache
    from sitepages.services import lock_site

    settings.PAGE_CACHE_SECONDS = 300  # the page cache on, as in production
    site, author, _moderators = world
    locked, errors = threading.Event(), []

    def edit():
        try:
            with transaction.atomic():
                lock_site(site)
                locked.set()
                time.sleep(1)  # the post runs meanwhile
                pagecache.invalidate()  # what publishing a site does
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def post_on_the_site():
        locked.wait(10)
        try:
            services.post_entry(
                site=site, author=author, text="Passage ce matin.", audience=Audience.SITE_READERS
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit), threading.Thread(target=post_on_the_site)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert Entry.objects.filter(site=site, text="Passage ce matin.").count() == 1
