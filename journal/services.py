"""Journal operations (keyword-only arguments): post, edit, delete, report, hide, restore,
dismiss. Views check `journal.perms` first; these functions do the writing, the history, the
audit log (Wagtail's `log`, actions registered in `journal.wagtail_hooks`) and notifications."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from actions.models import Action
from journal import files, notifications, targets, tasks
from journal.enums import Audience, EntryState, ReportStatus
from journal.models import Attachment, Entry, EntryRevision, Report
from journal.signals import entry_changed
from sitepages.services import lock_site

ACTION_POST = "journal.post"
ACTION_EDIT = "journal.edit"
ACTION_DELETE = "journal.delete"
ACTION_REPORT = "journal.report"
ACTION_HIDE = "journal.hide"
ACTION_RESTORE = "journal.restore"
ACTION_DISMISS = "journal.dismiss"


class Stale(Exception):  # noqa: N818 - a refusal, not a fault
    """The action no longer applies: another person changed the entry meanwhile. The message
    (French, for the user) says what happened; nothing was written."""


class Gone(Stale):
    """The entry was deleted meanwhile."""


def _lock(entry) -> Entry:
    """Lock the entry's row until the end of the transaction and return it as stored now.
    Every change to an entry takes this lock first: two moderators (or an author and a
    moderator) acting at once act one after the other, the second on what the first left."""
    locked = Entry.objects.select_for_update(of=("self",)).filter(pk=entry.pk).first()
    if locked is None:
        raise Gone(_("This message was deleted in the meantime."))
    return locked


MODERATION_FIELDS = ["state", "hidden_reason", "hidden_at", "hidden_by_id"]


def _keep_in_step(original, locked) -> None:
    """The caller's instance takes the moderation state written through the locked row (it is
    the object they keep using, e.g. to check who may read it now)."""
    if original is not locked:
        for name in MODERATION_FIELDS:
            setattr(original, name, getattr(locked, name))


def _changed(entry, *, deleted=False):
    transaction.on_commit(lambda: entry_changed.send(sender=Entry, entry=entry, deleted=deleted))


def _set_audience(entry, *, audience, organizations, users):
    entry.audience_organizations.set(organizations if audience == Audience.CHOSEN else [])
    entry.audience_users.set(users if audience == Audience.CHOSEN else [])


def add_attachments(*, entry, uploads) -> list[Attachment]:
    """Store already validated uploads (`journal.files.check_upload`) under random names."""
    attachments = []
    for upload in uploads:
        kind = files.check_upload(upload)
        attachment = Attachment(
            entry=entry,
            name=files.safe_name(upload.name, kind),
            content_type=kind.content_type,
            size=upload.size,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        attachments.append(attachment)
    return attachments


@transaction.atomic
def post_entry(
    *,
    author,
    text,
    audience,
    site=None,
    target=None,
    tags=(),
    organizations=(),
    users=(),
    uploads=(),
) -> Entry:
    """A new message in the journal of `target` (a site or an action; `site=` is the same for a
    site). On a site, under the site's lock taken first, as by every write to a site: otherwise
    the post could hold a row an edit of the site waits for (the page cache's version) while
    itself waiting, at COMMIT, for the site's lock — a deadlock (found by the write mix of
    `make bench`; tests/concurrency/test_journal.py). A site deleted meanwhile is a 404. On an
    action, under the action's row lock (an action deleted meanwhile is a 404 too)."""
    target = target if target is not None else site
    if targets.is_action(target):
        get_object_or_404(Action.objects.select_for_update(), pk=target.pk)
    else:
        lock_site(target)
    entry = Entry.objects.create(
        **{targets.kind(target): target}, author=author, text=text, audience=audience
    )
    entry.tags.set(tags)
    _set_audience(entry, audience=audience, organizations=organizations, users=users)
    add_attachments(entry=entry, uploads=uploads)
    log(instance=entry, action=ACTION_POST, user=author)
    _changed(entry)
    transaction.on_commit(lambda: tasks.notify_new_entry.enqueue(entry_id=entry.pk))
    return entry


def remove_attachments(*, entry, attachments) -> list[str]:
    """Delete attachments of `entry` (any other entry's are ignored); their files leave the
    private storage once the transaction has committed. Returns the removed names."""
    removed = list(Attachment.objects.filter(entry=entry, pk__in=[item.pk for item in attachments]))
    if not removed:
        return []
    # Their files leave the storage once this is committed (`core.storage.delete_private_files`).
    Attachment.objects.filter(pk__in=[item.pk for item in removed]).delete()
    if hasattr(entry, "_prefetched_objects_cache"):
        entry._prefetched_objects_cache.pop("attachments", None)
    return [item.name for item in removed]


@transaction.atomic
def edit_entry(
    *, entry, by, text, audience, tags=(), organizations=(), users=(), uploads=(), remove=()
) -> Entry:
    """Keep the previous state as an EntryRevision, then apply the new one. `remove`: the
    entry's attachments the author deletes (named in the revision). The previous state is read
    under the entry's lock: two edits at once leave two revisions, none lost."""
    entry = _lock(entry)
    revision = EntryRevision.objects.create(
        entry=entry,
        text=entry.text,
        tags=sorted(tag.name for tag in entry.tags.all()),
        audience=entry.audience,
        audience_organizations=sorted(str(org) for org in entry.audience_organizations.all()),
        audience_users=sorted(str(user) for user in entry.audience_users.all()),
        written_at=entry.edited_at or entry.created_at,
        replaced_by=by,
    )
    remove = [item for item in remove if item.entry_id == entry.pk]
    removed = remove_attachments(entry=entry, attachments=remove)
    if removed:
        revision.removed_attachments = removed
        revision.save(update_fields=["removed_attachments"])
    entry.text = text
    entry.audience = audience
    entry.edited_at = timezone.now()
    entry.save(update_fields=["text", "audience", "edited_at"])
    entry.tags.set(tags)
    _set_audience(entry, audience=audience, organizations=organizations, users=users)
    add_attachments(entry=entry, uploads=uploads)
    log(
        instance=entry,
        action=ACTION_EDIT,
        user=by,
        data={"removed_attachments": removed} if removed else None,
    )
    _changed(entry)
    return entry


@transaction.atomic
def delete_entry(*, entry, by, reason="") -> None:
    """Delete the entry (Gone when someone else already did: logged once)."""
    entry = _lock(entry)
    log(instance=entry, action=ACTION_DELETE, user=by, data={"reason": reason})
    entry_pk = entry.pk
    entry.delete()  # with its attachments, whose files go after the commit (core.storage)
    entry.pk = entry_pk
    _changed(entry, deleted=True)


@transaction.atomic
def report_entry(*, entry, by, reason) -> Report:
    """One open report per reader (a unique constraint: a second report at once updates the
    first one's reason), on an entry that still exists (under its lock)."""
    entry = _lock(entry)
    report, created = Report.objects.get_or_create(
        entry=entry, reporter=by, status=ReportStatus.OPEN, defaults={"reason": reason}
    )
    if not created:
        report.reason = reason
        report.save(update_fields=["reason"])
    log(instance=entry, action=ACTION_REPORT, user=by, data={"reason": reason})
    return report


def _close_reports(entry, *, by, reason, status) -> int:
    return entry.reports.open().update(
        status=status, decided_by=by, decided_at=timezone.now(), decision_reason=reason
    )


@transaction.atomic
def hide_entry(*, entry, by, reason) -> Entry:
    """Hide the entry; Stale when it is already hidden (another moderator was quicker: their
    reason stands, the author is told once)."""
    original, entry = entry, _lock(entry)
    if entry.state == EntryState.HIDDEN:
        raise Stale(_("This message was already hidden by another moderator."))
    entry.state = EntryState.HIDDEN
    entry.hidden_reason = reason
    entry.hidden_at = timezone.now()
    entry.hidden_by = by
    entry.save(update_fields=["state", "hidden_reason", "hidden_at", "hidden_by"])
    _close_reports(entry, by=by, reason=reason, status=ReportStatus.ACTED)
    log(instance=entry, action=ACTION_HIDE, user=by, data={"reason": reason})
    _keep_in_step(original, entry)
    _changed(entry)
    transaction.on_commit(lambda: notifications.notify_hidden(entry, moderator=by))
    return entry


@transaction.atomic
def restore_entry(*, entry, by, reason) -> Entry:
    """Show the entry again; Stale when it is not hidden any more."""
    original, entry = entry, _lock(entry)
    if entry.state != EntryState.HIDDEN:
        raise Stale(_("This message was already shown again by another moderator."))
    entry.state = EntryState.PUBLISHED
    entry.hidden_reason = ""
    entry.hidden_at = None
    entry.hidden_by = None
    entry.save(update_fields=["state", "hidden_reason", "hidden_at", "hidden_by"])
    log(instance=entry, action=ACTION_RESTORE, user=by, data={"reason": reason})
    _keep_in_step(original, entry)
    _changed(entry)
    return entry


@transaction.atomic
def dismiss_reports(*, entry, by, reason) -> int:
    """Dismiss the open reports; Stale when none is open any more."""
    entry = _lock(entry)
    count = _close_reports(entry, by=by, reason=reason, status=ReportStatus.DISMISSED)
    if not count:
        raise Stale(_("The reports were already handled by another moderator."))
    log(instance=entry, action=ACTION_DISMISS, user=by, data={"reason": reason})
    return count
