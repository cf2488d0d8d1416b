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
            ),
            "pilots",  # the checks of actions.perms (its journal's readers) read them
        )
        .order_by("-started_at", "name")
    )
    if not actions and not perms.can_list(user):
        return None
    return {
        "template": "actions/includes/site_actions.html",
        "actions": actions,
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


def dashboard_block(request, sites, territory):
    """Ongoing actions of the territory, and this year's people followed, housed and in school
    (from their indicators). Finances never appear here."""
    from django.db.models import Count, Q, Sum
    from django.utils import timezone

    from actions import perms
    from actions.enums import ActionStatus
    from actions.filters import territory_q
    from actions.models import Action, ActionIndicators, status_q

    user = request.user
    if not perms.can_list(user):
        return None
    actions = Action.objects.visible_to(user)
    if territory is not None:
        actions = actions.filter(territory_q(territory))
    year = timezone.localdate().year
    ongoing = actions.filter(status_q(ActionStatus.ONGOING)).count()
    totals = ActionIndicators.objects.filter(action__in=actions, year=year).aggregate(
        actions=Count("action", filter=Q(people__isnull=False)),
        people=Sum("people"),
        housed=Sum("housed_people"),
        nursery=Sum("school_nursery"),
        primary=Sum("school_primary"),
        secondary=Sum("school_secondary"),
        high=Sum("school_high"),
    )
    schooled = [totals[key] for key in ("nursery", "primary", "secondary", "high")]
    return {
        "template": "actions/includes/dashboard_block.html",
        "ongoing": ongoing,
        "year": year,
        "people": totals["people"],
        "housed": totals["housed"],
        "in_school": sum(value for value in schooled if value is not None)
        if any(value is not None for value in schooled)
        else None,
        "reporting": totals["actions"],
    }


def register():
    hooks.register_site_section(site_section)
    hooks.register_dashboard_block(dashboard_block)
    hooks.register_list_filter(
        hooks.ListFilter(name="action", field=_with_action_field, apply=_with_action_filter)
    )
