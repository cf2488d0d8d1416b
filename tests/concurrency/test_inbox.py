"""Two administrators handling one message of the inbox at the same moment (issue 15, part 2):
marked handled (or reopened) once, logged once, the slower one told it was already done."""

import pytest
from wagtail.models import ModelLogEntry

from cms import inbox
from cms.models import ContactMessage
from directory.enums import Role
from tests.cms.test_inbox import action_url, message, report
from tests.concurrency.harness import Rendezvous, clients_of, post, race, told
from tests.directory.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 3


@pytest.fixture
def here():
    return DepartmentFactory(code="69", name="Rhône")


@pytest.fixture
def admins(here):
    return clients_of(Role.LOCAL_ADMIN, here)


@pytest.fixture
def rendezvous(monkeypatch):
    meeting = Rendezvous()
    meeting.install(monkeypatch, inbox, "log")
    return meeting


@pytest.mark.parametrize("kind", ["message", "report"])
def test_two_administrators_marking_one_submission_handled_at_once(here, admins, rendezvous, kind):
    for repetition in range(REPETITIONS):
        if kind == "message":
            item = message(here, message=f"Bonjour {repetition}")
        else:
            item = report(CommuneFactory(department=here))
        url = action_url("mark_handled", item)

        outcomes = race(*(post(client, url) for client in admins), rendezvous=rendezvous)

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        item.refresh_from_db()
        assert item.handled and item.handled_by_id is not None
        handled = ModelLogEntry.objects.for_instance(item).filter(action=inbox.ACTION_HANDLED)
        assert handled.count() == 1, repetition
        assert "C’était déjà marqué comme traité." in told(outcomes)


def test_two_administrators_reopening_one_message_at_once(here, admins, rendezvous):
    for repetition in range(REPETITIONS):
        item = message(here, message=f"Bonjour {repetition}", handled=True)
        url = action_url("reopen", item)

        outcomes = race(*(post(client, url) for client in admins), rendezvous=rendezvous)

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert not ContactMessage.objects.get(pk=item.pk).handled
        reopened = ModelLogEntry.objects.for_instance(item).filter(action=inbox.ACTION_REOPENED)
        assert reopened.count() == 1, repetition
        assert "C’était déjà en attente de traitement." in told(outcomes)
