"""Background tasks shared by the whole platform."""

import logging

from django.core.mail import EmailMultiAlternatives
from django_tasks import TaskContext, task

from core.models import EmailSendAttempt

logger = logging.getLogger(__name__)


@task(queue_name="emails", takes_context=True)
def send_email(
    context: TaskContext,
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str | None = None,
    from_email: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one email through Django's configured backend, at most once.

    The attempt is recorded before the mail server is called and forgotten once the call ends
    (a failure raises: the task fails, nothing is kept). If the worker dies during the call,
    the record stays and a later run of this task sends nothing (see `EmailSendAttempt`).
    """
    task_id = str(context.task_result.id)
    _attempt, first = EmailSendAttempt.objects.get_or_create(
        task_id=task_id, defaults={"subject": subject[:255], "recipients": ", ".join(to)}
    )
    if not first:
        logger.warning("Email task %s was interrupted while sending: not sent again.", task_id)
        return 0
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=to, from_email=from_email, headers=headers or {}
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    try:
        return message.send()
    finally:
        EmailSendAttempt.objects.filter(task_id=task_id).delete()
