"""Background tasks of the activity app (django-tasks, database backend)."""

from django.utils import timezone
from django_tasks import task

from activity import emails


@task(queue_name="emails")
def send_notification_emails(*, delivery_ids: list[int], attempt: int = 1) -> dict:
    """Send a batch of notification emails.

    django-tasks has no automatic retry: when the mail server fails, the deliveries still pending
    are queued again with a growing delay (`emails.retry_delay`), up to
    `ACTIVITY_EMAIL_MAX_ATTEMPTS` attempts; after the last one they are marked failed, for
    `manage.py email_failures` to show and retry. Sent deliveries are never sent again.
    """
    sent, retry = emails.deliver_batch(delivery_ids)
    result = {"sent": len(sent), "retry": 0, "failed": 0, "attempt": attempt}
    if retry:
        if attempt < emails.max_attempts():
            emails.enqueue_deliveries(
                retry,
                attempt=attempt + 1,
                run_after=timezone.now() + emails.retry_delay(attempt),
            )
            result["retry"] = len(retry)
        else:
            result["failed"] = emails.give_up(retry)
    return result


@task(queue_name="default")
def notify_site_event(*, event_id: int) -> int:
    """Tell the territory's users of a site creation, update or closing (see
    `activity.notifications`); runs in the background: the recipients' rights are checked one
    by one."""
    from activity import notifications

    return notifications.notify_site_event(event_id)
