"""/sites/export/: the site export (CSV or XLSX) of the sites of the list's filters."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import spreadsheets
from directory import perms
from directory.permission_matrix import Feature
from sitepages import export
from sitepages.filters import STATUS_ALL, STATUS_CHOICES, SiteFilterForm
from sitepages.forms.export import SiteExportForm
from sitepages.models import SiteExport
from sitepages.views_list import _querystring


def _filtered(request, filters, *, as_of):
    """The exportable sites matching the list's filters; every status when a past day is asked
    (the status is then read at that day)."""
    if as_of is not None:
        data = request.GET.copy()
        data["statut"] = STATUS_ALL
        filters = SiteFilterForm(data, user=request.user)
    return filters.filter(export.exportable_sites(request.user))


def _about(request, form, filters, count: int) -> list[tuple[str, str]]:
    status = dict(STATUS_CHOICES)[filters.status]
    as_of = form.cleaned_data.get("as_of")
    labels = dict(form.fields["sections"].choices)
    return [
        (_("Exported on"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
        (_("Exported by"), request.user.get_full_name() or request.user.email),
        (_("Sites"), str(status)),
        (_("As of"), as_of.strftime("%d/%m/%Y") if as_of else _("Today")),
        (_("Filters"), _querystring(filters) or _("None")),
        (_("Sections"), ", ".join(str(labels[key]) for key in form.cleaned_data["sections"])),
        (_("Number of sites"), str(count)),
    ]


@login_required
def site_export(request):
    if not perms.can(request.user, Feature.SITE_EXPORT):
        raise PermissionDenied
    filters = SiteFilterForm(request.GET, user=request.user)
    filters.is_valid()  # invalid filters are reported on the list and ignored here too
    data = request.POST if request.method == "POST" else None
    form = SiteExportForm(data, user=request.user)
    querystring = _querystring(filters)
    suffix = f"?{querystring}" if querystring else ""
    if request.method == "POST" and form.is_valid():
        as_of = form.cleaned_data["as_of"]
        data = export.build(
            request,
            _filtered(request, filters, as_of=as_of),
            sections=form.cleaned_data["sections"],
            status=filters.status,
            as_of=as_of,
        )
        if not len(data):
            form.add_error(None, _("No site matches these filters on that day: nothing to export."))
        else:
            return _file(request, form, filters, data, querystring)
    context = {
        "title": _("Export sites"),
        "form": form,
        "filters": filters,
        "status_label": dict(STATUS_CHOICES)[filters.status],
        "is_filtered": filters.is_filtered(),
        "count": _filtered(request, filters, as_of=None).count(),
        "list_url": reverse("site_list") + suffix,
        "action_url": reverse("site_export") + suffix,
        "breadcrumb_data": {
            "links": [{"url": reverse("site_list") + suffix, "title": _("Sites")}],
            "current": _("Export"),
        },
    }
    return TemplateResponse(request, "sitepages/export/site_export.html", context)


def _file(request, form, filters, data, querystring) -> HttpResponse:
    file_format = form.cleaned_data["file_format"]
    as_of = form.cleaned_data["as_of"]
    export.record_export(
        user=request.user,
        file_format=file_format,
        sections=form.cleaned_data["sections"],
        status=filters.status,
        as_of=as_of,
        filters=querystring,
        site_count=len(data),
    )
    if file_format == SiteExport.Format.CSV:
        content = spreadsheets.to_csv(data)
    else:
        content = spreadsheets.to_xlsx(
            data, sheet_title=_("Sites"), about=_about(request, form, filters, len(data))
        )
    day = (as_of or timezone.localdate()).isoformat()
    name = f"sites-{'au-' if as_of else ''}{day}"
    return spreadsheets.file_response(content, file_format=file_format, name=name)
