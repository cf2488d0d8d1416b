"""/actions/export/: the export (CSV or XLSX) of the actions of the list's filters."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from actions import export, perms
from actions.forms import ActionFilterForm
from actions.models import Action, ActionFinance
from actions.views import _querystring, with_relations
from core import spreadsheets


class ExportForm(DsfrBaseForm):
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("xlsx", gettext_lazy("Excel (XLSX)")), ("csv", "CSV")],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    with_indicators = forms.BooleanField(
        label=gettext_lazy("One sheet of indicators per year (Excel only)"), required=False
    )


def exportable(user):
    return Action.objects.visible_to(user).filter(perms.export_q(user))


@login_required
def action_export(request):
    if not perms.can_export(request.user):
        raise PermissionDenied
    filters = ActionFilterForm(request.GET, user=request.user)
    queryset = filters.filter(exportable(request.user))
    data = request.POST if request.method == "POST" else None
    form = ExportForm(data)
    querystring = _querystring(filters)
    suffix = f"?{querystring}" if querystring else ""
    if data is not None and form.is_valid():
        return _file(request, form, queryset, querystring)
    context = {
        "title": _("Export actions"),
        "form": form,
        "count": queryset.count(),
        "list_url": reverse("actions:list") + suffix,
        "action_url": reverse("actions:export") + suffix,
        "breadcrumb_data": {
            "links": [{"url": reverse("actions:list") + suffix, "title": _("Actions")}],
            "current": _("Export"),
        },
    }
    return TemplateResponse(request, "actions/export.html", context)


def _file(request, form, queryset, querystring) -> HttpResponse:
    user = request.user
    file_format = form.cleaned_data["file_format"]
    may_read_finances = Action.objects.filter(perms.finances_q(user)).exists()
    readable_finances = ActionFinance.objects.filter(
        action__in=Action.objects.filter(perms.finances_q(user))
    )
    actions = list(
        with_relations(queryset)
        .prefetch_related("sites", "indicators", Prefetch("finances", queryset=readable_finances))
        .order_by("pk")
    )
    data = export.build(user, actions, with_finances=may_read_finances)
    export.record_export(
        user=user,
        file_format=file_format,
        filters=querystring,
        action_count=len(actions),
        with_finances=may_read_finances,
    )
    if file_format == "csv":
        content = spreadsheets.to_csv(data)
    else:
        sheets = export.indicator_sheets(actions) if form.cleaned_data["with_indicators"] else {}
        about = [
            (_("Exported on"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
            (_("Exported by"), user.get_full_name() or user.email),
            (_("Filters"), querystring or _("None")),
            (_("Number of actions"), str(len(actions))),
        ]
        content = export.to_xlsx(data, sheets=sheets, about=about)
    name = f"actions-{timezone.localdate().isoformat()}"
    return spreadsheets.file_response(content, file_format=file_format, name=name)
