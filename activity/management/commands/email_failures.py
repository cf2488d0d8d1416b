from django.core.management.base import BaseCommand
from django.db import transaction

from activity import emails
from activity.enums import DeliveryStatus
from activity.models import EmailDelivery


class Command(BaseCommand):
    help = (
        "List the notification emails that could not be sent after every attempt, and those "
        "interrupted while being sent (a worker killed mid-send: they may have gone out, and "
        "are never sent again by themselves); --retry queues them again (all, or the ids given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Deliveries to retry (default: all).")
        parser.add_argument("--retry", action="store_true", help="Queue the failures again.")
        parser.add_argument("--limit", type=int, default=100, help="Lines to list (100).")

    def handle(self, *args, ids=(), retry=False, limit=100, **options):
        interrupted = EmailDelivery.objects.interrupted()
        failures = (EmailDelivery.objects.failed() | interrupted).select_related(
            "email", "recipient"
        )
        if ids:
            failures = failures.filter(pk__in=ids)
        pending = EmailDelivery.objects.pending().count()
        count = failures.count()
        self.stdout.write(
            f"{count - interrupted.count()} failed email(s), {interrupted.count()} interrupted "
            f"while being sent (maybe received), {pending} waiting to be sent."
        )
        for delivery in failures.order_by("-last_attempt_at", "-pk")[:limit]:
            when = (
                delivery.last_attempt_at.strftime("%Y-%m-%d %H:%M")
                if delivery.last_attempt_at
                else "-"
            )
            self.stdout.write(
                f"#{delivery.pk} {when} {delivery.recipient.email} "
                f"«{delivery.email.subject}» ({delivery.attempts} attempt(s)): "
                f"{delivery.last_error or delivery.get_status_display()}"
            )
        if retry and count:
            with transaction.atomic():
                delivery_ids = list(
                    failures.select_for_update(of=("self",)).values_list("pk", flat=True)
                )
                EmailDelivery.objects.filter(pk__in=delivery_ids).update(
                    status=DeliveryStatus.PENDING
                )
                tasks = emails.enqueue_deliveries(sorted(delivery_ids))
            self.stdout.write(f"{len(delivery_ids)} email(s) queued again ({tasks} task(s)).")
