"""Helpers of the activity tests."""

from unittest import mock

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from activity.models import EmailDelivery, SiteEvent


def run_tasks():
    """Run every ready task now with the real worker (burst mode).

    The worker drops the database connection when it is not in autocommit mode, which is the
    case inside a test's transaction: that connection housekeeping is switched off here, the
    rest of the worker (claiming, running, recording results) is the real one."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def email_tasks():
    return DBTaskResult.objects.filter(
        task_path="activity.tasks.send_notification_emails"
    ).order_by("enqueued_at")


def delivered_to(email_id=None) -> list[str]:
    deliveries = EmailDelivery.objects.filter(status="sent")
    if email_id is not None:
        deliveries = deliveries.filter(email_id=email_id)
    return sorted(deliveries.values_list("recipient__email", flat=True))


def publish(site, user=None):
    """Publish a new revision of `site` as `user`; return the site event recorded."""
    revision = site.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    return SiteEvent.objects.filter(revision=revision).get()
