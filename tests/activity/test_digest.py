"""Email frequency (issue 16, item 4): immediate emails, or one daily digest of the
notifications since the previous one (`send_notification_digest`, idempotent per day)."""

import datetime
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from notifications.models import Notification

from activity import preferences
from activity.enums import NotificationKind
from activity.services import notify
from tests.activity.helpers import run_tasks
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db


def send(recipients, *, kind=NotificationKind.FORUM_ANSWER, verb="Réponse Marqueur-A", **kwargs):
    return notify(
        kind=kind,
        recipients=recipients,
        actor=kwargs.pop("actor", None) or UserFactory(first_name="Alice", last_name="Martin"),
        verb=verb,
        url="/entraide/sujet/1/",
        **kwargs,
    )


def digest(now=None):
    out = StringIO()
    if now is None:
        call_command("send_notification_digest", stdout=out)
    else:
        with mock.patch("django.utils.timezone.now", return_value=now):
            call_command("send_notification_digest", stdout=out)
    run_tasks()
    return out.getvalue()


def test_the_preferences_page_offers_immediate_or_daily(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("activity:preferences")).content.decode()
    fieldset = re.search(r"<fieldset[^>]*>.*?Fréquence des emails.*?</fieldset>", page, re.S)
    assert fieldset, page
    assert "<legend" in fieldset.group(0)
    assert 'type="radio"' in fieldset.group(0)
    assert "Immédiatement" in fieldset.group(0) and "Un résumé par jour" in fieldset.group(0)
    assert preferences.frequency_of(user) == "immediate"

    kinds = [kind.value for kind in preferences.kinds_for(user)]
    response = client.post(reverse("activity:preferences"), {"kinds": kinds, "frequency": "daily"})
    assert response.status_code == 302
    assert preferences.frequency_of(user) == "daily"
    page = client.get(reverse("activity:preferences")).content.decode()
    assert re.search(r'<input[^>]*value="daily"[^>]*checked', page)


def test_daily_users_get_no_immediate_email(mailoutbox):
    immediate, daily = UserFactory(), UserFactory()
    preferences.set_frequency(daily, "daily")
    assert send([immediate, daily]) == 2
    run_tasks()
    assert [message.to for message in mailoutbox] == [[immediate.email]]
    assert Notification.objects.filter(recipient=daily, unread=True).count() == 1


def test_the_daily_digest_once_a_day_with_what_happened_since_the_previous_one(mailoutbox):
    daily, immediate, quiet = UserFactory(), UserFactory(), UserFactory()
    for user in (daily, quiet):
        preferences.set_frequency(user, "daily")
    preferences.set_preference(daily, NotificationKind.MODERATION, False)
    send([daily, immediate], verb="Réponse Marqueur-A")
    send([daily], verb="Masqué Marqueur-B", kind=NotificationKind.MODERATION)  # turned off
    run_tasks()
    mailoutbox.clear()  # the immediate user's email

    output = digest()
    assert "1 digest" in output
    (message,) = mailoutbox
    assert message.to == [daily.email]
    assert "Marqueur-A" in message.body and "Marqueur-B" not in message.body
    html = message.alternatives[0][0]
    assert "Marqueur-A" in html
    assert "/notifications/preferences/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")

    # The same day again: nothing more, even with new notifications.
    send([daily], verb="Réponse Marqueur-C")
    digest()
    assert len(mailoutbox) == 1

    # The next day: only what came since the previous digest.
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    digest(now=tomorrow)
    assert len(mailoutbox) == 2
    assert "Marqueur-C" in mailoutbox[1].body and "Marqueur-A" not in mailoutbox[1].body
    # Nothing new: no email.
    digest(now=tomorrow + datetime.timedelta(days=1))
    assert len(mailoutbox) == 2
    assert all(message.to == [daily.email] for message in mailoutbox)


def test_the_digest_shows_a_group_as_one_line(mailoutbox):
    from tests.sitepages.factories import SitePageFactory

    daily = UserFactory()
    preferences.set_frequency(daily, "daily")
    site = SitePageFactory(title="Terrain rue des Peupliers")
    alice = UserFactory(first_name="Alice", last_name="Martin")
    bruno = UserFactory(first_name="Bruno", last_name="Petit")
    for actor in (alice, bruno, alice):
        send(
            [daily],
            actor=actor,
            kind=NotificationKind.SITE_UPDATED,
            verb="Un site a été mis à jour : Terrain rue des Peupliers",
            target=site,
        )
    digest()
    (message,) = mailoutbox
    assert message.body.count("Terrain rue des Peupliers") == 1
    assert "3 mises à jour par 2 personnes depuis le" in message.body


def test_the_command_on_an_empty_database():
    assert "0 digest" in digest()
