"""Choices of the search app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocType(models.TextChoices):
    SITE = "site", _("Site")
    ACTION = "action", _("Resorption action")
    JOURNAL = "journal", _("Journal message")
    TOPIC = "topic", _("Forum question")
    POST = "post", _("Forum answer")
    PAGE = "page", _("Guide or page")
    ORGANIZATION = "organization", _("Organisation")
    PERSON = "person", _("Person")


class DocStatus(models.TextChoices):
    OPEN = "open", _("Open site")
    CLOSED = "closed", _("Closed site")
    RESORBED = "resorbed", _("Resorbed site")
    SOLVED = "solved", _("Solved question")
    UNSOLVED = "unsolved", _("Unsolved question")
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
    HIDDEN = "hidden", _("Hidden by a moderator")
