"""The pilots hear of a request to become a pilot; the person asking hears of the answer."""

import pytest
from django.core import mail
from django.urls import reverse
from notifications.models import Notification

from activity import preferences
from core.notifications import NotificationKind
from directory.enums import Role
from tests.actions.factories import ActionFactory
from tests.activity.helpers import run_tasks
from tests.directory.factories import DepartmentFactory, UserFactory, give_area

pytestmark = pytest.mark.django_db


def member(place, **kwargs):
    user = UserFactory(role=Role.INTERVENANT, **kwargs)
    give_area(user, place)
    return user


def lines(user):
    return list(
        Notification.objects.filter(
            recipient=user, data__kind=NotificationKind.ACTION_PILOT_REQUEST
        ).values_list("verb", flat=True)
    )


@pytest.fixture
def world():
    place = DepartmentFactory()
    pilots = [member(place, first_name="Inès", last_name="Pilote"), member(place)]
    gone = member(place, is_active=False)
    action = ActionFactory(department=place, pilots=[*pilots, gone], name="Logement d’abord")
    candidate = member(place, first_name="Camille", last_name="Martin")
    return action, pilots, gone, candidate


def ask(client, action, candidate):
    client.force_login(candidate)
    assert client.post(reverse("actions:pilot_request", args=[action.pk])).status_code == 302
    return action.pilot_requests.get()


def test_a_request_tells_every_active_pilot_and_not_the_person_asking(
    client, world, django_capture_on_commit_callbacks
):
    action, pilots, gone, candidate = world
    preferences.set_preference(pilots[1], NotificationKind.ACTION_PILOT_REQUEST, False)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, action, candidate)
    run_tasks()  # the email task, with the real worker
    expected = "Camille Martin demande à devenir pilote de l’action « Logement d’abord »"
    assert lines(pilots[0]) == lines(pilots[1]) == [expected]
    assert lines(gone) == lines(candidate) == []
    # The email follows each pilot's preference: the second pilot turned these emails off.
    assert [message.to for message in mail.outbox] == [[pilots[0].email]]
    assert expected in mail.outbox[0].body


def test_asking_twice_tells_the_pilots_once(client, world):
    action, pilots, _gone, candidate = world
    ask(client, action, candidate)
    client.post(reverse("actions:pilot_request", args=[action.pk]))
    assert len(lines(pilots[0])) == 1


@pytest.mark.parametrize(("decision", "word"), [("accept", "acceptée"), ("refuse", "refusée")])
def test_the_person_asking_hears_of_the_answer(client, world, decision, word):
    action, pilots, _gone, candidate = world
    request = ask(client, action, candidate)
    client.force_login(pilots[0])
    url = reverse("actions:pilot_request_decide", args=[action.pk, request.pk])
    assert client.post(url, {"decision": decision}).status_code == 302
    assert lines(candidate) == [
        f"Votre demande pour devenir pilote de l’action « Logement d’abord » a été {word}"
    ]
    assert len(lines(pilots[0])) == 1  # the request only: the pilot who answered is not told
