"""Concurrent writes to one action: nothing lost, nothing stored twice, every refusal explained
(issue 15, the actions of issue 20). The rendezvous holds the racing requests just before
their conflict check (or their lock, for the pilot requests), which, without the action's lock,
lets both check before either writes."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import ModelLogEntry

from actions import history, services
from actions.enums import PilotRequestStatus
from actions.models import ActionFinance, ActionRevision
from directory.enums import Role
from tests.actions.factories import ActionFactory
from tests.concurrency.harness import Rendezvous, logged_in, post, race
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import form_payload, formset_payload, user_with

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 10
CONFLICT_TITLE = "action a été modifiée pendant que vous la mettiez à jour"


def latest_revision(action) -> str:
    return str(history.latest_revision_id(action))


@pytest.fixture
def setting():
    here = DepartmentFactory()
    first, second = user_with(Role.INTERVENANT, here), user_with(Role.INTERVENANT, here)
    action = ActionFactory(
        department=here, pilots=[first, second], started_at=datetime.date(2024, 1, 1)
    )
    services.record_revision(action=action, user=first)
    return action, first, second


@pytest.fixture
def before_the_check(monkeypatch):
    meeting = Rendezvous()
    meeting.install(monkeypatch, history, "conflict_since")
    return meeting


def test_two_simultaneous_edits_of_one_action_lose_nothing(setting, before_the_check):
    """One renames the action, the other changes its goals, from forms based on the same
    revision, at once: one is saved, the other refused with the change made meanwhile."""
    action, first_user, second_user = setting
    first, second = logged_in(first_user), logged_in(second_user)
    url = reverse("actions:edit", args=[action.pk])
    context = first.get(url).context
    shown = {**form_payload(context["form"]), **formset_payload(context["operators"])}
    shown["pilots"] = f"{first_user.email}\n{second_user.email}"
    for repetition in range(REPETITIONS):
        name, goals = f"Nom {repetition}", f"Objectifs {repetition}"
        base = {**shown, "base_revision": latest_revision(action)}

        outcomes = race(
            post(first, url, {**base, "name": name}),
            post(second, url, {**base, "goals": goals}),
            rendezvous=before_the_check,
        )

        statuses = sorted(outcome.status for outcome in outcomes)
        assert statuses == [302, 409], f"repetition {repetition}: {statuses}"
        action.refresh_from_db()
        if outcomes[0].status == 302:
            assert action.name == name and action.goals != goals
        else:
            assert action.goals == goals and action.name != name
        refused = next(outcome for outcome in outcomes if outcome.status == 409)
        assert CONFLICT_TITLE in refused.response.content.decode()
        shown.update(name=action.name, goals=action.goals)


def finance_rows(amount, base):
    return {
        "base_revision": base,
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-year": "2024",
        "form-0-finance_type": "state",
        "form-0-planned_amount": str(amount),
    }


def test_two_simultaneous_finance_saves_store_one_whole_table(setting, before_the_check):
    """Each save replaces the table of finances: at once, they used to both delete the rows and
    both insert theirs (a 500 on the unique row per year and type, or one table erased)."""
    action, first_user, second_user = setting
    first, second = logged_in(first_user), logged_in(second_user)
    url = reverse("actions:finances", args=[action.pk])
    for repetition in range(REPETITIONS):
        base = latest_revision(action)
        amounts = (1000 + repetition, 2000 + repetition)

        outcomes = race(
            post(first, url, finance_rows(amounts[0], base)),
            post(second, url, finance_rows(amounts[1], base)),
            rendezvous=before_the_check,
        )

        statuses = [outcome.status for outcome in outcomes]
        assert sorted(statuses) == [302, 409], f"repetition {repetition}: {statuses}"
        accepted = statuses.index(302)
        rows = list(ActionFinance.objects.filter(action=action))
        assert [row.planned_amount for row in rows] == [amounts[accepted]]
        refused = outcomes[1 - accepted].response.content.decode()
        assert CONFLICT_TITLE in refused and 'data-field="finances"' in refused


def test_an_edit_during_a_pilot_acceptance_keeps_the_new_pilot(setting, monkeypatch):
    """The edit form lists the pilots. Saved at the moment a request is accepted, it either
    comes first (the acceptance then adds the pilot) or is refused with the new pilot named:
    the new pilot is never erased."""
    action, first_user, second_user = setting
    first, second = logged_in(first_user), logged_in(second_user)
    # The edit waits, after its check and before it sets the pilots, for the acceptance to be
    # done or blocked: without the action's lock, it then erased the pilot just added.
    meeting = Rendezvous()
    meeting.install(monkeypatch, services, "_set_relations")
    url = reverse("actions:edit", args=[action.pk])
    context = second.get(url).context
    shown = {**form_payload(context["form"]), **formset_payload(context["operators"])}
    shown["pilots"] = f"{first_user.email}\n{second_user.email}"
    for repetition in range(REPETITIONS):
        candidate = user_with(Role.INTERVENANT, action.department)
        request = services.ask_to_pilot(action=action, user=candidate)
        decide = reverse("actions:pilot_request_decide", args=[action.pk, request.pk])
        edit = {**shown, "name": f"Nom {repetition}", "base_revision": latest_revision(action)}

        outcomes = race(
            post(first, decide, {"decision": "accept"}),
            post(second, url, edit),
            rendezvous=meeting,
        )

        assert outcomes[0].status == 302, repetition
        assert outcomes[1].status in (302, 409), repetition
        assert candidate in action.pilots.all(), f"repetition {repetition}: pilot erased"
        action.pilots.remove(candidate)  # back to the two pilots of the form
        services.record_revision(action=action, user=first_user)
        if outcomes[1].status == 409:
            assert 'data-field="pilots"' in outcomes[1].response.content.decode()


def test_one_pilot_request_answered_by_two_pilots_at_once(setting, monkeypatch):
    """One accepts, the other refuses, at once: decided once, logged once, the other told."""
    action, first_user, second_user = setting
    first, second = logged_in(first_user), logged_in(second_user)
    meeting = Rendezvous()
    meeting.install(monkeypatch, services, "lock_action")
    for repetition in range(REPETITIONS):
        candidate = user_with(Role.INTERVENANT, action.department)
        request = services.ask_to_pilot(action=action, user=candidate)
        decide = reverse("actions:pilot_request_decide", args=[action.pk, request.pk])
        logged = ModelLogEntry.objects.filter(
            action__in=[services.ACTION_PILOT_ACCEPT, services.ACTION_PILOT_REFUSE]
        )
        before = logged.count()

        outcomes = race(
            post(first, decide, {"decision": "accept"}),
            post(second, decide, {"decision": "refuse"}),
            rendezvous=meeting,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert logged.count() == before + 1, f"repetition {repetition}: decided twice"
        request.refresh_from_db()
        # The messages of earlier repetitions wait in the session (no page read them): the
        # last one is this answer's.
        told = [
            [str(message) for message in get_messages(outcome.response.wsgi_request)][-1]
            for outcome in outcomes
        ]
        late = 1 if request.status == PilotRequestStatus.ACCEPTED else 0
        assert told[late] == "Cette demande a reçu une réponse entre-temps.", told
        assert told[1 - late] == (
            "La demande a été acceptée : l’utilisateur est désormais pilote."
            if late == 1
            else "La demande a été refusée."
        )
        assert (candidate in action.pilots.all()) is (request.status == "accepted")


def test_a_pilot_request_sent_twice_at_once_is_one_request(setting):
    action, _first_user, _second_user = setting
    candidate = user_with(Role.INTERVENANT, action.department)
    client = logged_in(candidate)
    url = reverse("actions:pilot_request", args=[action.pk])

    outcomes = race(post(client, url, {}), post(client, url, {}))

    assert [outcome.status for outcome in outcomes] == [302, 302]
    assert action.pilot_requests.filter(status=PilotRequestStatus.PENDING).count() == 1
    assert ModelLogEntry.objects.filter(action=services.ACTION_PILOT_REQUEST).count() == 1
    assert ActionRevision.objects.filter(action=action).count() == 1
