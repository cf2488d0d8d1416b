"""Journal exports (Feature.JOURNAL_EXPORT): the published messages a user may read, on the
sites and actions where they may export journals, as CSV or XLSX (the file helpers of
`core.spreadsheets`).

A message is exported only if the user may read it (`Entry.objects.visible_to`, the rule of the
site page, the action page and the stream) *and* holds `JOURNAL_EXPORT` on its site (on its
action's department, for an action's message: then the site columns are empty and the last
column names the action); hidden and deleted messages never are. Cells a spreadsheet would
evaluate as formulas are neutralised.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from actions import perms as action_perms
from actions.filters import territory_q
from actions.models import Action
from core.spreadsheets import Export, safe_cell
from directory import perms
from directory.permission_matrix import Feature
from journal import perms as journal_perms
from journal import targets
from journal.enums import audience_label
from journal.models import Entry, EntryState, JournalExport
from sitepages.models import SitePage

#: A journal export holds at most this many messages (newest first); the form says so.
MAX_ENTRIES = 20000


def _site_export_q(user) -> Q:
    query = perms.scope_q(user, Feature.JOURNAL_EXPORT, "site__commune")
    return Q(site__isnull=False) & query if query else Q(site__isnull=False)


def _action_export_q(user) -> Q:
    query = action_perms.department_q(user, Feature.JOURNAL_EXPORT, "action__department")
    return Q(action__isnull=False) & query if query else Q(action__isnull=False)


def exportable_entries(user):
    """The published entries `user` may read, on the sites and the actions (by their
    department) where they hold JOURNAL_EXPORT."""
    return (
        Entry.objects.visible_to(user)
        .filter(state=EntryState.PUBLISHED)
        .filter(_site_export_q(user) | _action_export_q(user))
    )


def can_export_target(user, target) -> bool:
    """May export the journal of this site or action: JOURNAL_EXPORT on its place, and read it."""
    return journal_perms.can_read_journal(user, target) and perms.can(
        user, Feature.JOURNAL_EXPORT, targets.place(target)
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def filtered(user, *, site=None, territory=None, since=None, until=None):
    entries = exportable_entries(user)
    if site is not None:
        entries = entries.of_target(site)
    if territory is not None:
        entries = entries.filter(
            Q(site__in=SitePage.objects.in_territory(territory).values("pk"))
            | Q(action__in=Action.objects.filter(territory_q(territory)).values("pk"))
        )
    if since is not None:
        entries = entries.filter(created_at__gte=_day_start(since))
    if until is not None:
        entries = entries.filter(created_at__lt=_day_start(until + datetime.timedelta(days=1)))
    return entries


def build(entries) -> Export:
    rows = []
    ordered = (
        entries.select_related(
            "author__organization", "site__commune__department", "action__department"
        )
        .prefetch_related("tags", "attachments")
        .order_by("-created_at", "-pk")[:MAX_ENTRIES]
    )
    for entry in ordered:
        commune = entry.site.commune if entry.site_id else None
        author = entry.author
        rows.append(
            [
                safe_cell(value)
                for value in (
                    timezone.localtime(entry.created_at).strftime("%d/%m/%Y %H:%M"),
                    entry.site_id or "",
                    entry.site.title if commune else "",
                    commune.name if commune else "",
                    commune.department_id if commune else entry.action.department_id,
                    author.get_full_name() or author.email,
                    author.organization.name if author.organization_id else "",
                    audience_label(entry.audience, is_action=bool(entry.action_id)),
                    ", ".join(tag.name for tag in entry.tags.all()),
                    entry.text,
                    ", ".join(attachment.name for attachment in entry.attachments.all()),
                    timezone.localtime(entry.edited_at).strftime("%d/%m/%Y %H:%M")
                    if entry.edited_at
                    else "",
                    entry.action.name if entry.action_id else "",
                )
            ]
        )
    headers = [
        _("Posted at"),
        _("Site identifier"),
        _("Site"),
        _("Commune"),
        _("Department code"),
        _("Author"),
        _("Organisation"),
        _("Audience"),
        _("Tags"),
        _("Message"),
        _("Attachments"),
        _("Edited at"),
        _("Resorption action"),
    ]
    return Export(headers=[str(header) for header in headers], rows=rows)


@transaction.atomic
def record_export(*, user, file_format, site, filters, entry_count) -> JournalExport:
    """Log an export (its record and audit entry) before its file is sent."""
    record = JournalExport.objects.create(
        user=user, file_format=file_format, site=site, filters=filters, entry_count=entry_count
    )
    log(instance=record, action="journal.export", user=user)
    return record
