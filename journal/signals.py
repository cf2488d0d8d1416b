"""`entry_changed` is sent (after the transaction commits) whenever an entry's content,
audience (including its chosen organisations and users) or moderation state changes, so that
derived data — the search index's access keys — can be rebuilt. `deleted=True` when it is gone."""

from django.dispatch import Signal

entry_changed = Signal()  # kwargs: entry, deleted
