"""Followed sites: a user follows a site to find it on their home (« Suivre ce site »)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SiteFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="followed_sites",
    )
    site = models.ForeignKey(
        "sitepages.SitePage",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="followers",
    )
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)

    class Meta:
        verbose_name = _("followed site")
        verbose_name_plural = _("followed sites")
        constraints = [
            models.UniqueConstraint(fields=["user", "site"], name="sitepages_follow_unique")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.site_id}"
