from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who may read a journal entry, chosen by its author (docs/domain.md#audiences).

    STATE_SERVICES and CHOSEN are private: posting one needs `Feature.JOURNAL_CREATE_PRIVATE`,
    reading one `Feature.JOURNAL_LIST_PRIVATE` and being in the audience (`journal.perms`)."""

    SITE_READERS = "site_readers", _("Everyone who may read the site")
    STATE_SERVICES = "state_services", _("Only the préfecture and the DDETS of the department")
    CHOSEN = "chosen", _("Chosen organisations and users")


#: The label of `Audience.SITE_READERS` in an action's journal (its readers, not a site's).
ACTION_READERS_LABEL = _("Everyone who may read the action")


def audience_label(audience, *, is_action=False) -> str:
    if is_action and audience == Audience.SITE_READERS:
        return str(ACTION_READERS_LABEL)
    return str(Audience(audience).label)


class EntryState(models.TextChoices):
    """Moderation state: an entry is published, or hidden by a moderator (with a reason)."""

    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    DISMISSED = "dismissed", _("Dismissed")
    ACTED = "acted", _("Entry hidden")
