"""A task worker killed (SIGKILL) in the middle of a batch of emails: the task runs again when a
worker starts, and no email is sent twice, even the one the mail server was receiving when the
worker died. Real worker processes (`manage.py db_worker`), a real SMTP server (aiosmtpd)."""

import asyncio
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy

import psycopg
import pytest
from aiosmtpd.controller import Controller

from bench import stack
from tests.activity.test_smtp_faults import free_port

pytestmark = pytest.mark.production

SUBJECT = "Panne du travailleur"
DIRECT = ["Message direct 0", "Message direct 1", "Message direct 2"]
ENQUEUE = f"""
from activity.enums import NotificationKind
from activity.services import notify
from core.tasks import send_email
from directory.models import User

users = list(User.objects.filter(is_active=True).order_by("pk"))
notify(kind=NotificationKind.FORUM_ANSWER, recipients=users[1:], actor=users[0],
       verb="Réponse", url="/entraide/", email_subject={SUBJECT!r})
for number, subject in enumerate({DIRECT!r}):
    send_email.enqueue(subject=subject, body="Bonjour", to=[f"direct{{number}}@exemple.test"])
"""


class SlowInbox:
    """An SMTP server's mailbox. Having received a message named in `pause_on` (its subject and
    how many of that subject came before), it tells the test, which kills the worker, before
    answering: the message arrived, the worker never heard so. The case where resending would
    deliver it twice."""

    def __init__(self, pause_on: set[tuple[str, int]]):
        self.messages: list[tuple[str, str]] = []  # (recipient, subject)
        self.pause_on = pause_on
        self.paused = threading.Event()
        self.lock = threading.Lock()
        self.started: Counter = Counter()  # messages begun, per subject

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        subject = str(message["Subject"]).strip()
        with self.lock:
            before = self.started[subject]
            self.started[subject] += 1
            self.messages.extend((rcpt, subject) for rcpt in envelope.rcpt_tos)
        if (subject, before) in self.pause_on:
            self.paused.set()
            await asyncio.sleep(1.5)  # the worker is killed before it hears the answer
        return "250 Message accepted for delivery"


def start_worker(environment) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-startup-delay"]
        + ["--interval", "0.2", "--no-reload"],
        cwd=stack.ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, timeout=180, what=""):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def query(database_url, sql, params=()):
    with psycopg.connect(database_url) as conn:
        return conn.execute(sql, params).fetchall()


def unfinished_tasks(database_url) -> int:
    return query(
        database_url,
        "SELECT count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE status IN ('READY', 'RUNNING') AND task_path LIKE %s",
        ["%email%"],
    )[0][0]


def test_a_worker_killed_mid_batch_sends_no_email_twice(deployed):
    database_url = deployed["database_url"]
    port = free_port()
    environment = {
        **deployed["environment"],
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "10",
        "ACTIVITY_EMAIL_BATCH_SIZE": "50",
    }
    stack.manage(environment, "shell", "-c", ENQUEUE)
    deliveries = query(
        database_url,
        "SELECT u.email FROM activity_emaildelivery d JOIN activity_outgoingemail e "
        "ON e.id = d.email_id JOIN directory_user u ON u.id = d.recipient_id WHERE e.subject = %s",
        [SUBJECT],
    )
    recipients = sorted(row[0] for row in deliveries)
    assert len(recipients) >= 8
    # Kill in the middle of the notification batch, then while sending a direct email.
    inbox = SlowInbox(pause_on={(SUBJECT, 2), (DIRECT[1], 0)})
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    workers = []
    try:
        for _kill in range(2):
            worker = start_worker(environment)
            workers.append(worker)
            assert inbox.paused.wait(timeout=180), "the worker sent nothing"
            inbox.paused.clear()
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        worker = start_worker(environment)  # takes back the killed workers' tasks
        workers.append(worker)
        wait_for(lambda: unfinished_tasks(database_url) == 0, what="the tasks to finish")
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
        controller.stop()

    # (Other emails of the demo data went out too; each of ours has a subject of its own.)
    received = Counter(message for message in inbox.messages if message[1] in {SUBJECT, *DIRECT})
    twice = {key: count for key, count in received.items() if count > 1}
    assert not twice, f"sent twice: {twice}"
    # Every email went out once, including the two the server was receiving at each kill.
    assert sorted(rcpt for rcpt, subject in received if subject == SUBJECT) == recipients
    assert sorted(subject for _rcpt, subject in received if subject in DIRECT) == DIRECT
    # Those two are recorded as interrupted (maybe sent), not as sent, and not sent again.
    statuses = Counter(
        row[0]
        for row in query(
            database_url,
            "SELECT d.status FROM activity_emaildelivery d JOIN activity_outgoingemail e "
            "ON e.id = d.email_id WHERE e.subject = %s",
            [SUBJECT],
        )
    )
    assert statuses == {"sent": len(recipients) - 1, "sending": 1}
    assert query(database_url, "SELECT subject FROM core_emailsendattempt") == [(DIRECT[1],)]
    # The interrupted tasks ran again, on another worker, and finished.
    reruns = query(
        database_url,
        "SELECT status, jsonb_array_length(worker_ids) FROM django_tasks_database_dbtaskresult "
        "WHERE jsonb_array_length(worker_ids) > 1 AND task_path IN (%s, %s)",
        ["activity.tasks.send_notification_emails", "core.tasks.send_email"],
    )
    assert sorted(reruns) == [("SUCCESSFUL", 2), ("SUCCESSFUL", 2)]
