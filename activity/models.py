"""Email preferences, outgoing emails and their deliveries, and site events for the feed.

In-app notifications themselves are django-notifications' `Notification` rows (label
`notifications`); the notification kind lives in `Notification.data["kind"]`.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity.enums import DeliveryStatus, EmailFrequency, NotificationKind


class EmailPreference(models.Model):
    """One user's choice for one kind of email. No row means the default: enabled."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_preferences",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_unique")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.enabled}"


class EmailSchedule(models.Model):
    """One user's email frequency. No row means the default: immediate emails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_schedule"
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=16,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )
    #: The notifications up to this moment were emailed (immediately or in a digest): the next
    #: digest tells those that come after.
    digest_until = models.DateTimeField(_("digest until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("email frequency")
        verbose_name_plural = _("email frequencies")

    def __str__(self):
        return f"{self.user_id} {self.frequency}"


class OutgoingEmail(models.Model):
    """The content of one email, rendered once for all its recipients; each recipient's copy
    adds a greeting and a personal unsubscribe link when sent (see `activity.emails`)."""

    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    #: Set for emails that must never be built twice (e.g. "weekly:D93:2026-W47").
    key = models.CharField(_("key"), max_length=100, unique=True, null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self):
        return self.subject


class EmailDeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=DeliveryStatus.PENDING)

    def failed(self):
        return self.filter(status=DeliveryStatus.FAILED)

    def interrupted(self, *, older_than=timedelta(minutes=10)):
        """Deliveries whose sending started long ago and never ended: the worker died while
        calling the mail server. Whether the email went out is unknown."""
        return self.filter(
            status=DeliveryStatus.SENDING, last_attempt_at__lt=timezone.now() - older_than
        )


class EmailDelivery(models.Model):
    """One email to one recipient: what makes sending idempotent (a retried or duplicated task
    skips what is no longer pending) and what the `email_failures` command reports."""

    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_deliveries"
    )
    notification = models.ForeignKey(
        "notifications.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = EmailDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        constraints = [
            models.UniqueConstraint(fields=["email", "recipient"], name="email_delivery_unique")
        ]

    def __str__(self):
        return f"{self.email_id} → {self.recipient_id}: {self.status}"


class SiteEvent(models.Model):
    """A site was created, updated or closed: recorded from the published revision (Wagtail's
    `page_published`), read by the activity feed and the notifications."""

    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=[
            (kind.value, kind.label)
            for kind in (
                NotificationKind.SITE_CREATED,
                NotificationKind.SITE_UPDATED,
                NotificationKind.SITE_CLOSED,
            )
        ],
    )
    site = models.ForeignKey(
        "sitepages.SitePage", on_delete=models.CASCADE, related_name="activity_events"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)

    class Meta:
        verbose_name = _("site event")
        verbose_name_plural = _("site events")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self):
        return f"{self.kind} {self.title}"


class HomeVisit(models.Model):
    """When the user last opened their home: « what changed since my last visit » starts there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="home_visit"
    )
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")

    def __str__(self):
        return f"{self.user_id}: {self.seen_at:%Y-%m-%d %H:%M}"
