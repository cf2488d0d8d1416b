"""The audit log's tables: every action an app logs has its French label and message."""

import importlib
import pkgutil

from django.utils import translation
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import registry as log_actions

from core import audit

#: The modules that name the actions they log as `ACTION_*` constants.
SERVICE_PACKAGES = ("directory.services", "sitepages.services", "journal.services")
SERVICE_MODULES = ("actions.services", "forum.services", "cms.inbox")


def _service_modules():
    for name in SERVICE_PACKAGES:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            yield importlib.import_module(f"{name}.{info.name}")
    for name in SERVICE_MODULES:
        yield importlib.import_module(name)


def test_every_logged_action_has_a_french_label_and_message():
    log_actions.scan_for_actions()
    named = {
        value
        for module in _service_modules()
        for attribute, value in vars(module).items()
        if attribute.startswith("ACTION_") and isinstance(value, str) and "." in value
    }
    assert len(named) > 30  # the directory, sites, journal, actions, forum and inbox actions
    missing = sorted(action for action in named if action not in log_actions.formatters)
    assert missing == []
    untranslated = []
    for action in named:
        formatter = log_actions.formatters[action]
        for text in (formatter.label, formatter.message):
            if not text:  # the message depends on the entry: the formatter's own test
                continue
            with translation.override("en"):
                english = str(text)
            with translation.override("fr"):
                french = str(text)
            if english == french:
                untranslated.append((action, english))
    assert sorted(untranslated) == []


class _Registry:
    def __init__(self):
        self.formatters = {}

    def register_action(self, action):
        def store(formatter):
            self.formatters[action] = formatter
            return formatter

        return store


class _Entry:
    def __init__(self, data):
        self.data = data


def test_a_table_row_gives_label_message_and_the_reason_as_comment():
    class Custom(LogFormatter):
        label = "Custom"

    registry = _Registry()
    audit.register(
        registry,
        {
            "app.plain": ("Label", "Message"),
            "app.reason": ("Label", "Message", audit.REASON),
            "app.custom": Custom,
        },
    )
    plain = registry.formatters["app.plain"]()
    reason = registry.formatters["app.reason"]()
    assert (plain.label, plain.message) == ("Label", "Message")
    assert plain.format_comment(_Entry({"reason": "Doublon"})) == ""
    assert reason.format_comment(_Entry({"reason": "Doublon"})) == "Doublon"
    assert registry.formatters["app.custom"] is Custom


def test_an_action_already_registered_is_kept():
    registry = _Registry()
    registry.formatters["app.done"] = first = audit.formatter("First", "First")
    audit.register(registry, {"app.done": ("Second", "Second")})
    assert registry.formatters["app.done"] is first
