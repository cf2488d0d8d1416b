"""What the public sends: contact messages and site reports. Stored, routed by email, listed to
the national administrators in the Wagtail admin. A site report never creates a site."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.enums import ContactRequestType, Recipients


class ContactMessage(models.Model):
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
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_request_type_display()} — {self.first_name} {self.last_name}"


class SiteReport(models.Model):
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
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        verbose_name = _("site report")
        verbose_name_plural = _("site reports")
        ordering = ["-created_at"]

    def __str__(self):
        return (
            f"{self.commune} — {self.created_at:%d/%m/%Y}" if self.created_at else str(self.commune)
        )

    @property
    def department(self):
        return self.commune.department
