"""Two people saving one action from forms shown before each other's save: the second save is
refused with what changed meanwhile when it would erase it, accepted when it touches another
part of the action (issue 15). The same races fired at once are in tests/concurrency/."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import ModelLogEntry

from actions import services
from actions.models import ActionFinance, ActionIndicators
from directory.enums import Role
from tests.actions.factories import ActionFactory
from tests.concurrency.harness import logged_in
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import form_payload, formset_payload, user_with

pytestmark = pytest.mark.django_db

CONFLICT_TITLE = "action a été modifiée pendant que vous la mettiez à jour"  # after « L’ »


@pytest.fixture
def setting():
    here = DepartmentFactory()
    first, second = user_with(Role.INTERVENANT, here), user_with(Role.INTERVENANT, here)
    action = ActionFactory(
        department=here, pilots=[first, second], started_at=datetime.date(2024, 1, 1)
    )
    services.record_revision(action=action, user=first)  # as created through the form
    return action, logged_in(first), logged_in(second)


def edit_payload(client, action, **changes) -> dict:
    """What the edit form sends back as shown now, with `changes`."""
    context = client.get(reverse("actions:edit", args=[action.pk])).context
    data = {**form_payload(context["form"]), **formset_payload(context["operators"])}
    data["pilots"] = "\n".join(user.email for user in action.pilots.order_by("pk"))
    data["base_revision"] = str(context["base_revision"])
    return {**data, **changes}


def finance_payload(client, action, amount) -> dict:
    context = client.get(reverse("actions:finances", args=[action.pk])).context
    assert context["formset"].total_form_count() == 3  # no row yet: three empty ones
    return {
        "base_revision": str(context["base_revision"]),
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-year": "2024",
        "form-0-finance_type": "state",
        "form-0-planned_amount": str(amount),
        "form-0-spent_amount": "",
        "form-0-comment": "",
    }


def indicators_payload(client, action, year, people) -> dict:
    context = client.get(reverse("actions:indicators", args=[action.pk, year])).context
    return {"base_revision": str(context["base_revision"]), "people": str(people)}


def test_an_edit_based_on_an_older_revision_is_refused_with_the_changes(setting):
    action, first, second = setting
    url = reverse("actions:edit", args=[action.pk])
    shown_to_first = edit_payload(first, action, name="Nom choisi par la première")
    shown_to_second = edit_payload(second, action, goals="Objectifs de la seconde")

    assert first.post(url, shown_to_first).status_code == 302
    refused = second.post(url, shown_to_second)

    assert refused.status_code == 409
    html = refused.content.decode()
    assert CONFLICT_TITLE in html and 'id="edit-conflict"' in html
    assert 'data-field="name"' in html and "Nom choisi par la première" in html
    action.refresh_from_db()
    assert action.name == "Nom choisi par la première"
    assert action.goals != "Objectifs de la seconde"
    # The input is kept, on a form now based on the latest revision: saving it again applies it.
    assert refused.context["form"]["goals"].value() == "Objectifs de la seconde"
    latest = action.revisions.order_by("-created_at", "-pk").first()
    assert f'name="base_revision" value="{latest.pk}"' in html
    again = second.post(url, {**shown_to_second, "base_revision": str(latest.pk)})
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.goals == "Objectifs de la seconde"


def test_finances_saved_meanwhile_are_no_conflict_for_the_action_form(setting):
    action, first, second = setting
    edit = edit_payload(second, action, name="Renommée")
    finances = finance_payload(first, action, 5000)
    assert first.post(reverse("actions:finances", args=[action.pk]), finances).status_code == 302

    assert second.post(reverse("actions:edit", args=[action.pk]), edit).status_code == 302

    action.refresh_from_db()
    assert action.name == "Renommée"
    assert ActionFinance.objects.get(action=action).planned_amount == 5000


def test_finances_saved_from_two_forms_shown_at_once(setting):
    action, first, second = setting
    url = reverse("actions:finances", args=[action.pk])
    shown_to_first, shown_to_second = (
        finance_payload(first, action, 1000),
        finance_payload(second, action, 2000),
    )

    assert first.post(url, shown_to_first).status_code == 302
    refused = second.post(url, shown_to_second)

    assert refused.status_code == 409
    html = refused.content.decode()
    assert CONFLICT_TITLE in html and 'data-field="finances"' in html
    row = ActionFinance.objects.get(action=action)
    assert row.planned_amount == 1000
    assert refused.context["formset"].forms[0]["planned_amount"].value() == "2000"


def test_indicators_of_two_years_saved_at_once_are_both_kept(setting):
    action, first, second = setting
    a = indicators_payload(first, action, 2024, 10)
    b = indicators_payload(second, action, 2025, 20)
    assert first.post(reverse("actions:indicators", args=[action.pk, 2024]), a).status_code == 302
    assert second.post(reverse("actions:indicators", args=[action.pk, 2025]), b).status_code == 302
    people = dict(ActionIndicators.objects.filter(action=action).values_list("year", "people"))
    assert people == {2024: 10, 2025: 20}


def test_indicators_of_one_year_saved_from_two_forms(setting):
    action, first, second = setting
    url = reverse("actions:indicators", args=[action.pk, 2024])
    a, b = indicators_payload(first, action, 2024, 10), indicators_payload(second, action, 2024, 20)

    assert first.post(url, a).status_code == 302
    refused = second.post(url, b)

    assert refused.status_code == 409
    assert 'data-field="indicators:2024:people"' in refused.content.decode()
    assert ActionIndicators.objects.get(action=action, year=2024).people == 10


def test_a_pilot_accepted_during_an_edit_is_not_erased(setting):
    """The edit form lists the pilots: saved as shown before an acceptance, it would remove
    the new pilot. It is refused, the new pilot named."""
    action, first, second = setting
    candidate = user_with(Role.INTERVENANT, action.department)
    edit = edit_payload(second, action, name="Renommée")
    request = services.ask_to_pilot(action=action, user=candidate)
    decide = reverse("actions:pilot_request_decide", args=[action.pk, request.pk])
    assert first.post(decide, {"decision": "accept"}).status_code == 302

    refused = second.post(reverse("actions:edit", args=[action.pk]), edit)

    assert refused.status_code == 409
    assert 'data-field="pilots"' in refused.content.decode()
    assert candidate in action.pilots.all()


def test_a_request_answered_twice_is_decided_once_and_the_second_told(setting):
    action, first, second = setting
    candidate = user_with(Role.INTERVENANT, action.department)
    request = services.ask_to_pilot(action=action, user=candidate)
    decide = reverse("actions:pilot_request_decide", args=[action.pk, request.pk])

    assert first.post(decide, {"decision": "accept"}).status_code == 302
    late = second.post(decide, {"decision": "refuse"})

    assert late.status_code == 302
    told = [str(message) for message in get_messages(late.wsgi_request)]
    assert told == ["Cette demande a reçu une réponse entre-temps."]
    request.refresh_from_db()
    assert request.status == "accepted" and candidate in action.pilots.all()
    decisions = ModelLogEntry.objects.filter(
        action__in=[services.ACTION_PILOT_ACCEPT, services.ACTION_PILOT_REFUSE]
    )
    assert decisions.count() == 1


def test_asking_twice_to_pilot_is_one_request_logged_once(setting):
    action, _first, _second = setting
    candidate = user_with(Role.INTERVENANT, action.department)
    services.ask_to_pilot(action=action, user=candidate)
    services.ask_to_pilot(action=action, user=candidate)
    assert action.pilot_requests.count() == 1
    assert ModelLogEntry.objects.filter(action=services.ACTION_PILOT_REQUEST).count() == 1
