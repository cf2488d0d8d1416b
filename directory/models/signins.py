"""The sign-in log: every login attempt on an account, kept six months
(`purge_sign_in_log`, daily)."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: How long a sign-in event is kept.
SIGN_IN_RETENTION = timedelta(days=183)


class SignInEventQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(at__lt=(now or timezone.now()) - SIGN_IN_RETENTION)


class SignInEvent(models.Model):
    """One login attempt: succeeded or failed, when, from which client address.

    Failures are recorded only when the address typed belongs to an account (`user` set): the log
    never keeps addresses that are not accounts'."""

    user = models.ForeignKey(
        "directory.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="sign_in_events",
    )
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    succeeded = models.BooleanField(_("succeeded"))
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    objects = SignInEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="signin_user_at_idx")]

    def __str__(self):
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'failed'}"
