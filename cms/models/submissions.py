"""What the public sends: contact messages and site reports. Stored, routed by email, listed to
the people they are routed to in the inbox (`cms.views_inbox`: national admins see everything,
local admins their departments) and to the national team in the Wagtail admin. A site report
never creates a site."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.enums import ContactRequestType, Recipients


class Handled(models.Model):
    """Whether an administrator has dealt with the submission, who and when (the Wagtail audit
    log keeps every change: see `cms.inbox`)."""

    handled = models.BooleanField(_("handled"), default=False)
    handled_at = models.DateTimeField(_("handled on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class ContactMessage(Handled):
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    request_type = models.CharField(
        _("request type"), max_length=20, choices=ContactRequestType.choices
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email address"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organization = models.CharField(_("organisation"), max_length=255, blank=True)
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"))
    routed_to = models.CharField(_("sent to"), max_length=20, choices=Recipients.choices)
    recipients = ArrayField(models.EmailField(), verbose_name=_("recipients"), default=list)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["handled", "-created_at"], name="cms_contact_inbox_idx")]

    def __str__(self):
        return f"{self.get_request_type_display()} — {self.first_name} {self.last_name}"


class SiteReport(Handled):
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    commune = models.ForeignKey(
        "directory.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address or place"), max_length=255, blank=True)
    approximate_people = models.PositiveIntegerField(
        _("approximate number of people"), null=True, blank=True
    )
    description = models.TextField(_("description"))
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter's email address"), max_length=254, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    routed_to = models.CharField(_("sent to"), max_length=20, choices=Recipients.choices)
    recipients = ArrayField(models.EmailField(), verbose_name=_("recipients"), default=list)

    class Meta:
        verbose_name = _("site report")
        verbose_name_plural = _("site reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["handled", "-created_at"], name="cms_report_inbox_idx")]

    def __str__(self):
        return (
            f"{self.commune} — {self.created_at:%d/%m/%Y}" if self.created_at else str(self.commune)
        )

    @property
    def department(self):
        return self.commune.department
