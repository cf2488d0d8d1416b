"""The record of every site export (each export is logged: docs/domain.md#exports-and-dashboard)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteExport(models.Model):
    """Who exported which sites, when, in which form. Written before the file is sent."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", _("Excel (XLSX)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="site_exports",
    )
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)
    file_format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    sections = models.JSONField(_("sections"), default=list)
    status = models.CharField(_("sites"), max_length=20)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    filters = models.TextField(_("filters"), blank=True)
    site_count = models.PositiveIntegerField(_("number of sites"))

    class Meta:
        verbose_name = _("site export")
        verbose_name_plural = _("site exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        when = f"{self.created_at:%d/%m/%Y %H:%M}" if self.created_at else ""
        return f"{self.get_file_format_display()} — {self.site_count} — {when}"
