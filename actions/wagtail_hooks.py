"""Wagtail hooks of the actions: the labels of their audit log entries."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from actions import services
from core import audit

ACTIONS = {
    services.ACTION_CREATE: (_("Create an action"), _("Action created")),
    services.ACTION_UPDATE: (_("Update an action"), _("Action updated")),
    services.ACTION_FINANCES: (_("Update the finances of an action"), _("Finances updated")),
    services.ACTION_INDICATORS: (_("Update the indicators of an action"), _("Indicators updated")),
    services.ACTION_PILOT_REQUEST: (_("Ask to become a pilot"), _("Pilot request sent")),
    services.ACTION_PILOT_ACCEPT: (_("Accept a pilot request"), _("Pilot request accepted")),
    services.ACTION_PILOT_REFUSE: (_("Refuse a pilot request"), _("Pilot request refused")),
    services.ACTION_EXPORT: (_("Export actions"), _("Actions exported")),
}


@hooks.register("register_log_actions")
def register_action_log_actions(actions):
    audit.register(actions, ACTIONS)
