"""Background tasks of the journal (django-tasks, database backend)."""

from django_tasks import task


@task(queue_name="default")
def notify_new_entry(*, entry_id: int) -> int:
    """Tell the readers of a new entry (their rights are checked one by one, so this runs in the
    background rather than in the author's request). Nothing when the entry is gone or hidden."""
    from journal import notifications
    from journal.enums import EntryState
    from journal.models import Entry

    entry = (
        Entry.objects.select_related("site__commune__department", "action__department", "author")
        .filter(pk=entry_id, state=EntryState.PUBLISHED)
        .first()
    )
    if entry is None:
        return 0
    return notifications.notify_new_entry(entry)
