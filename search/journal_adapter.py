"""The site journal (`journal` app) as the search sees it.

The journal owns its audience rules: `journal.access.entry_access_keys(entry)` and
`journal.access.reader_access_keys(user)`. Journal entries become search documents carrying the
journal's own keys, namespaced so they never meet another app's keys, and readers get the
journal's keys. The journal sits below the search in the layers (README), so it is imported
directly: if it breaks, the search breaks loudly instead of silently leaving entries out.
"""


def journal_modules():
    """(Entry model, access module) of the journal."""
    from journal import access
    from journal.models import Entry

    return Entry, access


def reader_keys(user) -> set[str]:
    from journal import access

    return {f"journal|{key}" for key in access.reader_access_keys(user)}


def entry_keys(entry) -> list[str]:
    """The journal's keys for one entry, namespaced so they never meet another app's keys."""
    from journal import access

    return [f"journal|{key}" for key in access.entry_access_keys(entry)]


def entry_changed_signal():
    """`journal.signals.entry_changed`, sent after an entry's content or audience changed."""
    from journal.signals import entry_changed

    return entry_changed
