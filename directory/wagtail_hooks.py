"""Wagtail hooks of the directory: the labels of its audit log entries (`directory/audit.py`)."""

from wagtail import hooks

from core import audit as core_audit
from directory import audit


@hooks.register("register_log_actions")
def register_directory_actions(actions):
    core_audit.register(actions, audit.TABLE)
