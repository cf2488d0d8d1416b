"""Optional integration of the site journal (`journal` app).

The journal app owns its audience rules. When it provides `journal.models.Entry` and
`journal.access` with `entry_access_keys(entry) -> list[str]` and
`reader_access_keys(user) -> set[str]`, journal entries become search documents carrying the
journal's own keys, and readers get the journal's keys. Until then, this module does nothing.
"""

import importlib
from functools import cache


@cache
def journal_modules():
    """(Entry model, access module) when the journal app provides them, else None."""
    try:
        access = importlib.import_module("journal.access")
        models = importlib.import_module("journal.models")
    except ImportError:
        return None
    entry = getattr(models, "Entry", None)
    if entry is None or not all(
        callable(getattr(access, name, None))
        for name in ("entry_access_keys", "reader_access_keys")
    ):
        return None
    return entry, access


def is_available() -> bool:
    return journal_modules() is not None


def reader_keys(user) -> set[str]:
    modules = journal_modules()
    if modules is None:
        return set()
    return {f"journal|{key}" for key in modules[1].reader_access_keys(user)}


def entry_keys(entry) -> list[str]:
    """The journal's keys for one entry, namespaced so they never meet another app's keys."""
    modules = journal_modules()
    if modules is None:
        return []
    return [f"journal|{key}" for key in modules[1].entry_access_keys(entry)]


def entry_changed_signal():
    """`journal.signals.entry_changed` when the journal sends it, else None."""
    try:
        signals = importlib.import_module("journal.signals")
    except ImportError:
        return None
    return getattr(signals, "entry_changed", None)
