"""Who is told about the journal, and the calls to `activity.services.notify`.

- A new entry: `recipients_for_entry(entry)` — the active users of the site's territory (an
  intervention area, their own or else their organisation's, on the site's department: the
  department, its region, an EPCI or a commune in it; national areas excluded: they would hear
  of every site) who may read the site and this entry; never the author. The opt-out is the
  activity app's preference for `NotificationKind.JOURNAL_ENTRY`.
- A hidden entry: `moderation_recipients(entry, moderator)` — its author, when still an active
  member and not the moderator themselves; the email gives the reason.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.notifications import NotificationKind, notify
from directory import perms
from directory.enums import TerritoryLevel
from directory.models import InterventionArea, User
from journal import perms as journal_perms
from journal import targets


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def territory_users(target):
    """Active users with an intervention area (own, or their organisation's when they have
    none) on the department of the target (the site's, the action's)."""
    department = targets.department(target)
    covers = (
        Q(level=TerritoryLevel.REGION, region_id=department.region_id)
        | Q(level=TerritoryLevel.DEPARTMENT, department_id=department.code)
        | Q(level=TerritoryLevel.COMMUNE, commune__department_id=department.code)
        | Q(level=TerritoryLevel.EPCI, epci__communes__department_id=department.code)
    )
    own = InterventionArea.objects.filter(user_id=OuterRef("pk"))
    organization = InterventionArea.objects.filter(organization_id=OuterRef("organization_id"))
    return (
        User.objects.active()
        .filter(Exists(own.filter(covers)) | (~Exists(own) & Exists(organization.filter(covers))))
        .select_related("organization")
    )


def recipients_for_entry(entry):
    """The users told of a new entry (see the module docstring); a queryset."""
    target = entry.target
    candidates = territory_users(target)
    if targets.is_action(target):
        # an action's readers also include its pilots and its operators' members, wherever
        # their areas are
        candidates = User.objects.active().filter(
            Q(pk__in=candidates.values("pk"))
            | Q(pk__in=target.pilots.values("pk"))
            | Q(organization_id__in=target.operator_rows.values("organization_id"))
        )
    readers = [
        user.pk
        for user in candidates.exclude(pk=entry.author_id)
        if journal_perms.can_read_journal(user, target)
        and journal_perms.can_read_entry(user, entry)
    ]
    return User.objects.filter(pk__in=readers).order_by("pk")


def moderation_recipients(entry, moderator) -> list:
    author = entry.author
    if author is None or not perms.is_active_member(author) or author.pk == moderator.pk:
        return []
    return [author]


def _context(entry, **kwargs) -> dict:
    return {
        "platform_name": settings.PLATFORM_NAME,
        "entry": entry,
        "site": entry.target,
        "target_title": targets.title(entry.target),
        "is_action": targets.is_action(entry.target),
        "author": entry.author.get_full_name() if entry.author else "",
        "url": absolute(entry.get_absolute_url()),
        **kwargs,
    }


def notify_new_entry(entry) -> int:
    recipients = list(recipients_for_entry(entry))
    if not recipients:
        return 0
    context = _context(entry)
    return notify(
        kind=NotificationKind.JOURNAL_ENTRY,
        recipients=recipients,
        actor=entry.author,
        verb=_("posted a message in the journal of “%(site)s”")
        % {"site": targets.title(entry.target)},
        target=entry,
        url=entry.get_absolute_url(),
        email_subject=render_to_string("journal/emails/new_entry_subject.txt", context).strip(),
        email_template="journal/emails/new_entry.txt",
        email_context=context,
        occurred_at=entry.created_at,  # told by a background task, later
    )


def notify_hidden(entry, *, moderator) -> int:
    recipients = moderation_recipients(entry, moderator)
    if not recipients:
        return 0
    context = _context(entry, reason=entry.hidden_reason)
    return notify(
        kind=NotificationKind.MODERATION,
        recipients=recipients,
        actor=moderator,
        verb=_("hid your message in the journal of “%(site)s”")
        % {"site": targets.title(entry.target)},
        target=entry,
        url=entry.get_absolute_url(),
        email_subject=render_to_string("journal/emails/entry_hidden_subject.txt", context).strip(),
        email_template="journal/emails/entry_hidden.txt",
        email_context=context,
    )
