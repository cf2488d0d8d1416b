"""Choice lists of an action (docs/actions.md). Values are stable identifiers; labels are French
through the catalogue (English msgids)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionTopic(models.TextChoices):
    HEALTH = "health", _("Health")
    SCHOOL = "school", _("Schooling")
    EMPLOYMENT = "employment", _("Employment")
    HOUSING = "housing", _("Housing")
    SECURITY = "security", _("Security")
    SITE_MANAGEMENT = "site_management", _("Site management")
    OTHER = "other", _("Other")


class LocationType(models.TextChoices):
    INTEGRATION_SPACE = "integration_space", _("Temporary integration space")
    HOUSING = "housing", _("Housing")
    SITES = "sites", _("On given sites")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    """Derived from the dates, never stored."""

    TO_START = "to_start", _("To start")
    ONGOING = "ongoing", _("Ongoing")
    ENDED = "ended", _("Ended")


class FinanceType(models.TextChoices):
    STATE = "state", _("State")
    DEDICATED = "dedicated", _("Dedicated credits")
    LOCAL_AUTHORITY = "local_authority", _("Local authority co-funding")
    EUROPEAN = "european", _("European funds")
    PRIVATE = "private", _("Private funds")
    OTHER = "other", _("Other")


class PilotRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
