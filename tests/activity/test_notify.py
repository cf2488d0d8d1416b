"""`activity.services.notify`: in-app notifications in one INSERT, emails queued in batches
through django-tasks, per-kind preferences, signed one-click unsubscribe."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from notifications.models import Notification

from activity import preferences
from activity.enums import NotificationKind
from activity.models import EmailDelivery, EmailPreference
from activity.services import notify
from tests.activity.helpers import delivered_to, email_tasks, run_tasks
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db

KIND = NotificationKind.FORUM_ANSWER


def send(recipients, actor=None, **kwargs):
    actor = actor or UserFactory(first_name="Alice", last_name="Autrice")
    return notify(
        kind=kwargs.pop("kind", KIND),
        recipients=recipients,
        actor=actor,
        verb="Nouvelle réponse : Marqueur-Verbe-5K",
        url="/entraide/sujet/1/",
        **kwargs,
    )


def inserts(queries, table):
    return [q for q in queries if q["sql"].startswith(f'INSERT INTO "{table}"')]


@pytest.mark.parametrize("count", [3, 120])
def test_one_insert_for_all_recipients_and_one_task_per_50(count, settings):
    settings.ACTIVITY_EMAIL_BATCH_SIZE = 50
    users = UserFactory.create_batch(count)
    actor = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        assert send(users, actor=actor) == count
    assert len(inserts(queries.captured_queries, "notifications_notification")) == 1
    assert len(inserts(queries.captured_queries, "activity_emaildelivery")) == 1
    assert len(inserts(queries.captured_queries, "django_tasks_database_dbtaskresult")) == (
        (count + 49) // 50
    )
    assert Notification.objects.filter(unread=True).count() == count
    assert email_tasks().count() == (count + 49) // 50
    # The same number of queries whatever the number of recipients, except one per batch.
    assert len(queries.captured_queries) - (count + 49) // 50 < 12


def test_the_actor_inactive_users_and_duplicates_are_skipped():
    actor = UserFactory()
    reader = UserFactory()
    inactive = UserFactory(is_active=False)
    assert send([reader, reader, actor, inactive], actor=actor) == 1
    assert list(Notification.objects.values_list("recipient", flat=True)) == [reader.pk]


def test_opted_out_users_get_the_notification_but_no_email():
    wants, refuses = UserFactory(), UserFactory()
    preferences.set_preference(refuses, KIND, False)
    preferences.set_preference(wants, NotificationKind.SITE_UPDATED, False)  # another kind
    assert send([wants, refuses]) == 2
    assert Notification.objects.filter(recipient=refuses).exists()
    run_tasks()
    assert [message.to for message in mail.outbox] == [[wants.email]]
    assert delivered_to() == [wants.email]


def test_the_email_text_html_and_unsubscribe_headers():
    user = UserFactory(first_name="Zoé")
    send([user], email_subject="Sujet-Marqueur-2B")
    run_tasks()
    (message,) = mail.outbox
    assert message.subject == "Sujet-Marqueur-2B"
    assert "Zoé" in message.body and "Marqueur-Verbe-5K" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Marqueur-Verbe-5K" in html and 'lang="fr"' in html
    path = preferences.unsubscribe_path(user, KIND)
    assert message.extra_headers["List-Unsubscribe"] == f"<http://localhost:8000{path}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert path in message.body and path in html
    assert "http://localhost:8000/entraide/sujet/1/" in message.body


def test_a_custom_template_gets_the_context(settings, tmp_path):
    template_dir = tmp_path / "templates"
    (template_dir / "x").mkdir(parents=True)
    (template_dir / "x" / "mail.txt").write_text("Texte {{ thing }} {{ verb }}")
    (template_dir / "x" / "mail.html").write_text("<p>HTML {{ thing }}</p>")
    engine = {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}
    settings.TEMPLATES = [engine]
    send([UserFactory()], email_template="x/mail.txt", email_context={"thing": "Chose-7"})
    run_tasks()
    (message,) = mail.outbox
    assert "Texte Chose-7 Nouvelle réponse" in message.body
    assert "<p>HTML Chose-7</p>" in message.alternatives[0][0]


def test_one_click_unsubscribe_without_login(client):
    user = UserFactory()
    path = preferences.unsubscribe_path(user, KIND)

    assert client.get(path).status_code == 200  # a confirmation, not the action
    assert preferences.email_wanted(user, KIND)

    # RFC 8058: the mail client posts "List-Unsubscribe=One-Click", without cookie or token.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not preferences.email_wanted(user, KIND)
    assert EmailPreference.objects.get(user=user, kind=KIND).enabled is False
    assert preferences.email_wanted(user, NotificationKind.SITE_CREATED)


@pytest.mark.parametrize(
    "token",
    ["nimportequoi", "eyJ1IjoxLCJrIjoiZm9ydW1fYW5zd2VyIn0:faux"],
)
def test_a_tampered_unsubscribe_link_gives_404(client, token):
    UserFactory()
    url = reverse("activity:unsubscribe", kwargs={"token": token})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not EmailPreference.objects.exists()


def test_a_token_names_one_user_and_one_kind():
    first, second = UserFactory(), UserFactory()
    token = preferences.unsubscribe_token(first, KIND)
    assert preferences.read_unsubscribe_token(token) == (first.pk, KIND.value)
    assert token != preferences.unsubscribe_token(second, KIND)
    assert token != preferences.unsubscribe_token(first, NotificationKind.SITE_CLOSED)


def test_a_duplicated_task_sends_nothing_twice():
    users = UserFactory.create_batch(3)
    send(users)
    (task,) = email_tasks()
    from activity.tasks import send_notification_emails

    send_notification_emails.enqueue(**task.args_kwargs["kwargs"])  # the same batch again
    run_tasks()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in users)
    assert EmailDelivery.objects.filter(status="sent").count() == 3
