"""The journal's section of the site export: the last messages of each site that the exporting
user may read, published ones (registered into sitepages.export from JournalConfig.ready)."""

from collections import defaultdict

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy

from journal.models import Entry, EntryState
from sitepages import export

#: Messages per site in the export.
JOURNAL_MESSAGES = 3

SECTION = export.Section("journal", gettext_lazy("Last journal messages"))


def journal_messages(user, site_ids, *, before=None) -> dict:
    """The last messages per site that `user` may read, as "date — author : text" (one query)."""
    entries = Entry.objects.visible_to(user).filter(
        site_id__in=site_ids, state=EntryState.PUBLISHED
    )
    if before is not None:
        entries = entries.filter(created_at__lt=before)
    entries = (
        entries.annotate(
            position=Window(
                RowNumber(), partition_by=[F("site_id")], order_by=[F("created_at").desc()]
            )
        )
        .filter(position__lte=JOURNAL_MESSAGES)
        .select_related("author")
        .order_by("site_id", "-created_at")
    )
    messages = defaultdict(list)
    for entry in entries:
        author = entry.author.get_full_name() or entry.author.email
        when = timezone.localtime(entry.created_at).strftime("%d/%m/%Y")
        messages[entry.site_id].append(f"{when} — {author} : {entry.text.strip()}")
    return messages


def register() -> None:
    export.register_section(SECTION, journal_messages)
