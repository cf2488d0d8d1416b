"""Notification emails: rendered once per event (`render_content`), personalised and sent per
recipient by the `send_notification_emails` task (`deliver_batch`), which records every delivery
so that a retried task never sends an email twice."""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string, select_template
from django.urls import reverse
from django.utils import timezone, translation

from activity import preferences
from activity.enums import DeliveryStatus, NotificationKind
from activity.models import EmailDelivery


# Recipients per email task (one SMTP connection each).
def batch_size() -> int:
    return getattr(settings, "ACTIVITY_EMAIL_BATCH_SIZE", 50)


def absolute_url(path: str) -> str:
    if not path or "://" in path:
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def render_content(*, template: str, context: dict) -> tuple[str, str]:
    """(text, html) bodies of an email from `template` (text); its `.html` sibling, when it
    exists, gives the HTML part, otherwise the layout builds it from the text."""
    context = {"platform_name": settings.PLATFORM_NAME, **context}
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(template, context).strip()
        html = ""
        if template.endswith(".txt"):
            try:
                html_template = select_template([template[: -len(".txt")] + ".html"])
            except TemplateDoesNotExist:  # text only: the layout builds the HTML part
                html_template = None
            if html_template is not None:
                html = html_template.render(context).strip()
    return text, html


def build_message(delivery: EmailDelivery, connection=None) -> EmailMultiAlternatives:
    """The copy of `delivery.email` for its recipient, with a personal unsubscribe link."""
    email, user = delivery.email, delivery.recipient
    unsubscribe_url = absolute_url(preferences.unsubscribe_path(user, email.kind))
    context = {
        "platform_name": settings.PLATFORM_NAME,
        "recipient": user,
        "subject": email.subject,
        "text_body": email.text_body,
        "html_body": email.html_body,
        "url": absolute_url(email.url),
        "kind_label": NotificationKind(email.kind).label,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": absolute_url(reverse("activity:preferences")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("activity/emails/layout.txt", context)
        html = render_to_string("activity/emails/layout.html", context)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=text,
        to=[user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def max_attempts() -> int:
    return getattr(settings, "ACTIVITY_EMAIL_MAX_ATTEMPTS", 5)


def retry_delay(attempt: int) -> timedelta:
    """Wait before attempt `attempt + 1`: base × 4^(attempt-1) (1 min, 4, 16, 64… by default)."""
    base = getattr(settings, "ACTIVITY_EMAIL_RETRY_BASE_SECONDS", 60)
    return timedelta(seconds=base * 4 ** (attempt - 1))


def is_connection_error(exc: BaseException) -> bool:
    """The mail server is unreachable (stop the batch, retry it later), as opposed to one
    message refused (go on with the others)."""
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPException):  # SMTPException is an OSError too
        return False
    return isinstance(exc, OSError)


def _deliver_one(delivery_id: int, connection) -> str:
    """Send one pending delivery: "sent" or "skipped"; a failure is recorded on the delivery,
    then raised.

    At most once: the delivery is marked SENDING and committed before the mail server is
    called, then SENT once it accepted the message. A worker killed in between (the mail server
    may or may not have accepted it) leaves it SENDING, which no task sends again; the
    `email_failures` command lists it as interrupted.
    """
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("email", "recipient")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:  # already sent or being sent, given up, or locked by a worker
            return "skipped"
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.status = DeliveryStatus.SENDING
        delivery.save(update_fields=["attempts", "last_attempt_at", "status"])
    try:
        if not build_message(delivery, connection).send():
            raise smtplib.SMTPException("The mail server accepted no recipient.")
    except Exception as exc:  # refused or unreachable: pending again, for the retry
        delivery.status = DeliveryStatus.PENDING
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        delivery.save(update_fields=["status", "last_error"])
        raise
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = delivery.last_attempt_at
    delivery.last_error = ""
    delivery.save(update_fields=["status", "sent_at", "last_error"])
    return "sent"


def deliver_batch(delivery_ids: list[int]) -> tuple[list[int], list[int]]:
    """Send the pending deliveries among `delivery_ids`; return (sent ids, ids to retry).

    A connection error stops the batch: the rest is retried with it, untouched."""
    sent, retry = [], []
    connection = get_connection(fail_silently=False)
    try:
        for position, delivery_id in enumerate(delivery_ids):
            try:
                outcome = _deliver_one(delivery_id, connection)
            except Exception as exc:  # recorded on the delivery
                if is_connection_error(exc):
                    retry.extend(delivery_ids[position:])
                    break
                retry.append(delivery_id)  # one bad message does not stop the others
                continue
            if outcome == "sent":
                sent.append(delivery_id)
    finally:
        try:
            connection.close()
        except Exception:  # closing a dead connection
            pass
    return sent, retry


def give_up(delivery_ids: list[int]) -> int:
    """Mark deliveries still pending as failed (shown by `manage.py email_failures`)."""
    return EmailDelivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED
    )


def enqueue_deliveries(delivery_ids: list[int], *, attempt: int = 1, run_after=None) -> int:
    """Queue the email task in batches of BATCH_SIZE recipients; return the number of tasks."""
    from activity.tasks import send_notification_emails

    task, size = send_notification_emails, batch_size()
    if run_after is not None:
        task = task.using(run_after=run_after)
    batches = [delivery_ids[start : start + size] for start in range(0, len(delivery_ids), size)]
    for batch in batches:
        task.enqueue(delivery_ids=batch, attempt=attempt)
    return len(batches)
