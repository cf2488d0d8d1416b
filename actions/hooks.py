"""What the actions add to the site pages, through `sitepages.hooks` (sitepages never imports
the actions): the actions of a site on its page, and the filter "with / without an action" of
the site list."""

from django import forms
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from sitepages import hooks

WITH = "avec"
WITHOUT = "sans"


def site_section(request, site):
    """The actions of the site the reader may read (name, topics, operators, status)."""
    from actions import perms
    from actions.models import Action, ActionOperator
    from actions.views import status_display

    user = request.user
    actions = list(
        Action.objects.visible_to(user)
        .filter(sites=site)
        .select_related("department")
        .prefetch_related(
            Prefetch(
                "operator_rows",
                queryset=ActionOperator.objects.select_related("organization"),
            )
        )
        .order_by("-started_at", "name")
    )
    if not actions and not perms.can_list(user):
        return None
    return {
        "template": "actions/includes/site_actions.html",
        "site_actions": [
            {
                "action": action,
                "status": status_display(action),
                "operators": list(action.operator_rows.all()),
            }
            for action in actions
        ],
    }


def _with_action_field():
    return forms.ChoiceField(
        label=_("Resorption actions"),
        choices=[("", _("With or without")), (WITH, _("With an action")), (WITHOUT, _("Without"))],
        required=False,
    )


def _with_action_filter(queryset, value, user):
    from actions.models import Action

    linked = Exists(
        Action.sites.through.objects.filter(sitepage_id=OuterRef("pk")).filter(
            action__in=Action.objects.visible_to(user)
        )
    )
    if value == WITH:
        return queryset.filter(linked)
    if value == WITHOUT:
        return queryset.filter(~linked)
    return queryset


def register():
    hooks.register_site_section(site_section)
    hooks.register_list_filter(
        hooks.ListFilter(name="action", field=_with_action_field, apply=_with_action_filter)
    )
