from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactRequestType(models.TextChoices):
    HELP = "help", _("Help using the platform")
    REPORT_SITE = "report_site", _("Report a site")
    INFORMATION = "information", _("Request for information")
    ACCESS_REQUEST = "access_request", _("Request access to the platform")
    OTHER = "other", _("Other")


class Recipients(models.TextChoices):
    """Who receives a contact message or a site report."""

    NATIONAL = "national", _("National team")
    LOCAL = "local", _("Department's local administrators")
