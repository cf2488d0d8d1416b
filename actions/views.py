"""Screens of the actions (under /actions/): list, detail, forms, finances, indicators, history,
pilot requests. Views parse input, ask `actions.perms`, call `actions.services`, render. An action
the user may not read is a 404 (its existence is not revealed); one they may read but not change,
a 403. Finances are never loaded for a reader without the right: absent, not hidden.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions import history, indicators, perms, services
from actions.enums import ActionStatus, FinanceType, LocationType, PilotRequestStatus
from actions.forms import (
    ActionFilterForm,
    ActionForm,
    FinanceFormSet,
    IndicatorsForm,
    OperatorFormSet,
    operator_initial,
)
from actions.models import Action, ActionIndicators, PilotRequest
from sitepages.models import SitePage

PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 10

STATUS_BADGES = {
    ActionStatus.TO_START: "fr-badge--info",
    ActionStatus.ONGOING: "fr-badge--success",
    ActionStatus.ENDED: "",
}


def status_display(action) -> dict:
    status = action.status
    return {"label": ActionStatus(status).label, "badge": STATUS_BADGES[status], "value": status}


def with_relations(queryset):
    return queryset.with_relations()


def readable_action(request, pk) -> Action:
    action = get_object_or_404(
        with_relations(Action.objects.select_related("location_commune", "created_by")), pk=pk
    )
    if not perms.can_read(request.user, action):
        raise Http404
    return action


def _breadcrumb(action=None, current=None):
    links = [{"url": reverse("actions:list"), "title": _("Actions")}]
    if action is not None:
        links.append({"url": action.get_absolute_url(), "title": action.name})
    return {"links": links, "current": current}


# --- List ---------------------------------------------------------------------------------------


def _querystring(form) -> str:
    params = form.data.copy() if hasattr(form.data, "copy") else dict(form.data)
    params.pop("page", None)
    for name in list(params):
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            params.setlist(name, values)
        else:
            del params[name]
    return params.urlencode()


@login_required
def action_list(request):
    if not perms.can_list(request.user):
        raise PermissionDenied
    form = ActionFilterForm(request.GET, user=request.user)
    queryset = form.filter(Action.objects.visible_to(request.user))
    paginator = Paginator(with_relations(queryset).order_by("-started_at", "name", "pk"), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.pages_list = list(
        paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )
    page_obj.rows = [
        {
            "action": action,
            "status": status_display(action),
            "operators": list(action.operator_rows.all()),
        }
        for action in page_obj.object_list
    ]
    querystring = _querystring(form)
    context = {
        "title": _("Resorption actions"),
        "form": form,
        "page_obj": page_obj,
        "is_filtered": form.is_filtered(),
        "querystring": querystring,
        "can_create": perms.can_create(request.user),
        "can_export": perms.can_export(request.user),
        "export_url": reverse("actions:export") + (f"?{querystring}" if querystring else ""),
        "breadcrumb_data": {"current": _("Actions")},
    }
    return TemplateResponse(request, "actions/action_list.html", context)


# --- Detail -------------------------------------------------------------------------------------


def finance_table(action) -> dict:
    """Finances per year and type, with totals per year and overall."""
    rows = list(action.finances.all())
    years = []
    total_planned = total_spent = Decimal(0)
    for year in sorted({row.year for row in rows}):
        lines = [row for row in rows if row.year == year]
        planned = sum((row.planned_amount or 0 for row in lines), Decimal(0))
        spent = sum((row.spent_amount or 0 for row in lines), Decimal(0))
        total_planned += planned
        total_spent += spent
        years.append({"year": year, "lines": lines, "planned": planned, "spent": spent})
    return {"years": years, "planned": total_planned, "spent": total_spent}


def indicator_table(action) -> dict:
    """Indicators as rows (one per count) and columns (one per year), with the evolution from
    the previous year."""
    by_year = {row.year: row for row in action.indicators.all()}
    years = action.indicator_years
    labels = {
        name: ActionIndicators._meta.get_field(name).verbose_name for name in indicators.FIELDS
    }
    groups = []
    for title, names in indicators.GROUPS:
        lines = []
        for name in names:
            cells = []
            previous = None
            for year in years:
                row = by_year.get(year)
                value = getattr(row, name) if row else None
                evolution = value - previous if value is not None and previous is not None else None
                cells.append({"value": value, "evolution": evolution})
                previous = value
            lines.append({"label": labels[name], "cells": cells})
        groups.append({"title": title, "lines": lines})
    return {
        "years": years,
        "groups": groups,
        "filled": sorted(year for year, row in by_year.items() if not row.is_empty),
    }


@login_required
def action_detail(request, pk):
    action = readable_action(request, pk)
    user = request.user
    can_update = perms.can_update(user, action)
    show_finances = perms.can_access_finances(user, action)
    sites = [
        {"site": site, "url": site.get_url(request)}
        for site in SitePage.objects.live()
        .visible_to(user)
        .filter(actions=action)
        .select_related("commune")
        .order_by("title")
    ]
    pending = (
        list(action.pilot_requests.filter(status=PilotRequestStatus.PENDING).select_related("user"))
        if perms.can_decide_pilot_requests(user, action)
        else []
    )
    has_pending_request = action.pilot_requests.filter(
        user=user, status=PilotRequestStatus.PENDING
    ).exists()
    context = {
        "title": action.name,
        "action": action,
        "status": status_display(action),
        "operators": list(action.operator_rows.all()),
        "pilots": list(action.pilots.all()),
        "sites": sites,
        "is_integration_space": action.location_type == LocationType.INTEGRATION_SPACE,
        "is_other_location": action.location_type == LocationType.OTHER,
        "show_finances": show_finances,
        "finances": finance_table(action) if show_finances else None,
        "indicators": indicator_table(action),
        "can_update": can_update,
        "pending_requests": pending,
        "can_ask_to_pilot": perms.can_ask_to_pilot(user, action) and not has_pending_request,
        "has_pending_request": has_pending_request,
        "breadcrumb_data": _breadcrumb(current=action.name),
    }
    return TemplateResponse(request, "actions/action_detail.html", context)


# --- Create and edit ----------------------------------------------------------------------------


def base_revision(request, action) -> int | None:
    """The revision a form is based on: the latest one when the form is shown, the one it was
    shown with when it is sent (its hidden `base_revision` field)."""
    if request.method != "POST":
        return history.latest_revision_id(action)
    try:
        return int(request.POST.get("base_revision", ""))
    except ValueError:
        return None


def _conflict_context(conflict) -> dict:
    return {
        "conflict": conflict,
        "conflict_title": _("The action was changed while you were editing it"),
        "base_revision": conflict.latest_revision_id,
    }


def _render_form(request, *, form, operators, action=None, status=200, extra=None):
    title = _("Edit the action") if action else _("Create an action")
    context = {
        "title": title,
        "action": action,
        "form": form,
        "operators": operators,
        "breadcrumb_data": _breadcrumb(action, title),
        "base_revision": base_revision(request, action) if action else None,
        **(extra or {}),
    }
    return TemplateResponse(request, "actions/action_form.html", context, status=status)


@login_required
def action_create(request):
    if not perms.can_create(request.user):
        raise PermissionDenied
    action = Action()
    data = request.POST if request.method == "POST" else None
    form = ActionForm(data, instance=action, user=request.user)
    operators = OperatorFormSet(data, prefix="operators")
    if data is not None:
        if form.is_valid() and operators.is_valid():
            if not perms.can_create(request.user, form.cleaned_data["department"]):
                raise PermissionDenied
            action = form.save(commit=False)
            services.create_action(
                action=action,
                user=request.user,
                pilots=form.cleaned_data["pilots"],
                operators=operators.rows(),
                sites=form.cleaned_data["sites"],
            )
            messages.success(request, _("The action was created."))
            return redirect(action.get_absolute_url())
        return _render_form(request, form=form, operators=operators, status=400)
    return _render_form(request, form=form, operators=operators)


@login_required
def action_edit(request, pk):
    action = readable_action(request, pk)
    if not perms.can_update(request.user, action):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ActionForm(data, instance=action, user=request.user)
    operators = OperatorFormSet(data, prefix="operators", initial=operator_initial(action))
    if data is not None:
        if form.is_valid() and operators.is_valid():
            outcome = services.update_action(
                action=form.save(commit=False),
                user=request.user,
                pilots=form.cleaned_data["pilots"],
                operators=operators.rows(),
                sites=form.cleaned_data["sites"],
                visible_sites=form.fields["sites"].queryset,
                base_revision_id=base_revision(request, action),
            )
            if outcome.saved:
                messages.success(request, _("The action was updated."))
                return redirect(action.get_absolute_url())
            # Saved meanwhile by someone else: the input is kept on a form based on the action
            # as it is now, with what changed.
            action = readable_action(request, pk)
            form = ActionForm(data, instance=action, user=request.user)
            operators = OperatorFormSet(data, prefix="operators", initial=operator_initial(action))
            return _render_form(
                request,
                form=form,
                operators=operators,
                action=action,
                status=409,
                extra=_conflict_context(outcome.conflict),
            )
        return _render_form(request, form=form, operators=operators, action=action, status=400)
    return _render_form(request, form=form, operators=operators, action=action)


# --- Finances -----------------------------------------------------------------------------------


def _finance_editor(request, pk) -> Action:
    action = readable_action(request, pk)
    if not perms.can_access_finances(request.user, action):
        raise Http404  # finances are absent for this user, not forbidden
    if not perms.can_update(request.user, action):
        raise PermissionDenied
    return action


@login_required
def action_finances(request, pk):
    action = _finance_editor(request, pk)
    data = request.POST if request.method == "POST" else None
    formset = FinanceFormSet(
        data, action=action, queryset=action.finances.order_by("year", "finance_type")
    )
    extra, status = {"base_revision": base_revision(request, action)}, 200
    if data is not None:
        status = 400
        if formset.is_valid():
            outcome = services.save_finances(
                action=action,
                user=request.user,
                rows=formset.rows(),
                base_revision_id=extra["base_revision"],
            )
            if outcome.saved:
                messages.success(request, _("The finances were saved."))
                return redirect(action.get_absolute_url() + "#finances")
            # The input is kept on a form whose rows are the finances as they are now.
            action = readable_action(request, pk)
            formset = FinanceFormSet(
                data, action=action, queryset=action.finances.order_by("year", "finance_type")
            )
            extra, status = _conflict_context(outcome.conflict), 409
    title = _("Finances of the action")
    context = {
        "title": title,
        "action": action,
        "formset": formset,
        "finance_types": FinanceType.choices,
        "breadcrumb_data": _breadcrumb(action, title),
        **extra,
    }
    return TemplateResponse(request, "actions/finances_form.html", context, status=status)


@login_required
def action_finance_readers(request, pk):
    action = _finance_editor(request, pk)
    title = _("Who may read the finances")
    context = {
        "title": title,
        "action": action,
        "readers": perms.finance_readers(action),
        "breadcrumb_data": _breadcrumb(action, title),
    }
    return TemplateResponse(request, "actions/finance_readers.html", context)


# --- Indicators ---------------------------------------------------------------------------------


@login_required
def action_indicators(request, pk, year):
    action = readable_action(request, pk)
    if not perms.can_update(request.user, action):
        raise PermissionDenied
    if year not in action.indicator_years:
        raise Http404
    row = action.indicators.filter(year=year).first() or ActionIndicators(action=action, year=year)
    data = request.POST if request.method == "POST" else None
    form = IndicatorsForm(data, instance=row)
    extra, status = {"base_revision": base_revision(request, action)}, 200
    if data is not None:
        status = 400
        if form.is_valid():
            outcome = services.save_indicators(
                action=action,
                year=year,
                values=form.cleaned_data,
                user=request.user,
                base_revision_id=extra["base_revision"],
            )
            if outcome.saved:
                messages.success(
                    request, _("The indicators of %(year)s were saved.") % {"year": year}
                )
                return redirect(action.get_absolute_url() + "#indicators")
            extra, status = _conflict_context(outcome.conflict), 409
    title = _("Indicators of %(year)s") % {"year": year}
    context = {
        "title": title,
        "action": action,
        "year": year,
        "form": form,
        "breadcrumb_data": _breadcrumb(action, title),
        **extra,
    }
    return TemplateResponse(request, "actions/indicators_form.html", context, status=status)


# --- History ------------------------------------------------------------------------------------


@login_required
def action_history(request, pk):
    action = readable_action(request, pk)
    revisions = action.revisions.select_related("user").order_by("-created_at", "-pk")
    paginator = Paginator(revisions, HISTORY_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    title = _("History of the action")
    context = {
        "title": title,
        "action": action,
        "entries": history.history(action, request.user, page_obj.object_list),
        "page_obj": page_obj,
        "breadcrumb_data": _breadcrumb(action, title),
    }
    return TemplateResponse(request, "actions/history.html", context)


# --- Pilot requests -----------------------------------------------------------------------------


@login_required
@require_POST
def pilot_request(request, pk):
    action = readable_action(request, pk)
    if not perms.can_ask_to_pilot(request.user, action):
        raise PermissionDenied
    services.ask_to_pilot(action=action, user=request.user)
    messages.success(request, _("Your request was sent to the pilots of the action."))
    return redirect(action.get_absolute_url())


@login_required
@require_POST
def pilot_request_decide(request, pk, request_id):
    action = readable_action(request, pk)
    if not perms.can_decide_pilot_requests(request.user, action):
        raise PermissionDenied
    pilot_request = get_object_or_404(PilotRequest, pk=request_id, action=action)
    accept = request.POST.get("decision") == "accept"
    pilot_request, decided = services.decide_pilot_request(
        pilot_request=pilot_request, user=request.user, accept=accept
    )
    if not decided:
        messages.warning(request, _("This request was already answered meanwhile."))
    elif accept:
        messages.success(request, _("The request was accepted: the user is now a pilot."))
    else:
        messages.success(request, _("The request was refused."))
    return redirect(action.get_absolute_url())
