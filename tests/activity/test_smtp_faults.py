"""Fault tests against a real SMTP server (aiosmtpd) that the test starts and stops: while it is
down, notifications are stored and the email tasks retry with a delay; once it is back, every
email arrives, none twice."""

import socket
from email import message_from_bytes, policy
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from notifications.models import Notification

from activity.enums import DeliveryStatus, NotificationKind
from activity.models import EmailDelivery
from activity.services import notify
from activity.tasks import send_notification_emails
from tests.activity.helpers import email_tasks, run_tasks
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "refuse@exemple.test"


class Inbox:
    """aiosmtpd handler keeping what it receives; refuses one address."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 Message accepted for delivery"

    def recipients(self):
        return sorted(address for tos, _ in self.messages for address in tos)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self, port):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    server = SmtpServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.ACTIVITY_EMAIL_BATCH_SIZE = 2
    settings.ACTIVITY_EMAIL_MAX_ATTEMPTS = 3
    settings.ACTIVITY_EMAIL_RETRY_BASE_SECONDS = 60
    yield server
    server.stop()


def time_passes():
    """The retry delays elapse: every waiting task becomes due."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def tell(users):
    return notify(
        kind=NotificationKind.FORUM_ANSWER,
        recipients=users,
        actor=UserFactory(),
        verb="Nouvelle réponse",
        url="/entraide/",
    )


def test_down_then_back_everything_arrives_once(smtp):
    users = UserFactory.create_batch(5)
    assert tell(users) == 5  # the mail server is down: nothing blocks
    assert Notification.objects.count() == 5
    assert email_tasks().count() == 3  # batches of 2

    run_tasks()
    assert smtp.inbox.messages == []
    assert not EmailDelivery.objects.filter(status=DeliveryStatus.SENT).exists()
    assert "ConnectionRefusedError" in EmailDelivery.objects.filter(attempts=1).first().last_error
    retries = email_tasks().filter(status="READY")
    assert retries.count() == 3
    for task in retries:
        assert task.args_kwargs["kwargs"]["attempt"] == 2
        assert task.run_after > timezone.now() + timezone.timedelta(seconds=50)

    run_tasks()  # too early: the retries wait for their delay
    assert retries.count() == 3 and smtp.inbox.messages == []

    smtp.start()
    time_passes()
    run_tasks()
    assert smtp.inbox.recipients() == sorted(user.email for user in users)
    assert EmailDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 5
    assert not email_tasks().filter(status="READY").exists()

    # The first tasks run again (a worker crashed after sending, say): nothing is sent twice.
    for task in email_tasks().filter(args_kwargs__kwargs__attempt=1):
        send_notification_emails.enqueue(**task.args_kwargs["kwargs"])
    run_tasks()
    assert len(smtp.inbox.messages) == 5

    _, message = smtp.inbox.messages[0]
    assert message["List-Unsubscribe"].strip().startswith("<http://localhost:8000/notifications/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.is_multipart()


def test_one_refused_address_does_not_hold_the_others(smtp):
    smtp.start()
    users = [UserFactory(email=REFUSED), *UserFactory.create_batch(3)]
    tell(users)
    run_tasks()
    assert smtp.inbox.recipients() == sorted(user.email for user in users[1:])
    refused = EmailDelivery.objects.get(recipient=users[0])
    assert refused.status == DeliveryStatus.PENDING and "550" in refused.last_error
    (retry,) = email_tasks().filter(status="READY")
    assert retry.args_kwargs["kwargs"]["delivery_ids"] == [refused.pk]


def test_given_up_after_the_last_attempt_then_retried_by_command(smtp):
    users = UserFactory.create_batch(3)
    tell(users)
    for _attempt in range(3):  # ACTIVITY_EMAIL_MAX_ATTEMPTS
        run_tasks()
        time_passes()
    assert not email_tasks().filter(status="READY").exists()  # no endless retries
    assert EmailDelivery.objects.filter(status=DeliveryStatus.FAILED).count() == 3

    out = StringIO()
    call_command("email_failures", stdout=out)
    assert out.getvalue().startswith(
        "3 failed email(s), 0 interrupted while being sent (maybe received), 0 waiting to be sent."
    )
    for user in users:
        assert user.email in out.getvalue()

    smtp.start()
    out = StringIO()
    call_command("email_failures", "--retry", stdout=out)
    assert "3 email(s) queued again" in out.getvalue()
    run_tasks()
    assert smtp.inbox.recipients() == sorted(user.email for user in users)
    assert not EmailDelivery.objects.exclude(status=DeliveryStatus.SENT).exists()
    call_command("email_failures", "--retry", stdout=StringIO())
    run_tasks()
    assert len(smtp.inbox.messages) == 3
