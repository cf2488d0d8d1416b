"""/journal/export/: the journal messages a user may read and export, as CSV or XLSX; with
`?site=<id>` or `?action=<id>`, one site's or one action's journal."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from actions.models import Action
from core import spreadsheets
from directory import perms
from directory.permission_matrix import Feature
from journal import export, targets
from journal.forms_export import JournalExportForm
from sitepages.models import SitePage


def _pk(request, name):
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404 from None


def _site(request):
    """The target of `?site=` or `?action=`, if the user may export its journal (else 404:
    nothing revealed); None without either."""
    action_pk = _pk(request, "action")
    if action_pk is not None:
        action = Action.objects.with_relations().filter(pk=action_pk).first()
        if action is None or not export.can_export_target(request.user, action):
            raise Http404
        return action
    pk = _pk(request, "site")
    if pk is None:
        return None
    site = SitePage.objects.live().select_related("commune__department").filter(pk=pk).first()
    if site is None or not perms.can(request.user, Feature.JOURNAL_EXPORT, site):
        raise Http404
    return site


@login_required
def journal_export(request):
    if not perms.can(request.user, Feature.JOURNAL_EXPORT):
        raise PermissionDenied
    site = _site(request)
    data = request.POST if request.method == "POST" else None
    form = JournalExportForm(data, site=site)
    if data is not None and form.is_valid():
        entries = export.filtered(
            request.user,
            site=site,
            territory=form.cleaned_data.get("territoire"),
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
        )
        result = export.build(entries)
        if not len(result):
            form.add_error(None, _("No message matches: nothing to export."))
        else:
            return _file(request, form, site, result)
    action = reverse("journal:export") + (
        f"?{urlencode({targets.kind(site): site.pk})}" if site else ""
    )
    context = {
        "title": _("Export the journal of %(site)s") % {"site": targets.title(site)}
        if site
        else _("Export journals"),
        "form": form,
        "site": site,
        "action_url": action,
        "max_entries": export.MAX_ENTRIES,
        "back_url": targets.stream_url(site) if site else reverse("site_list"),
    }
    return TemplateResponse(request, "journal/export.html", context)


def _file(request, form, site, result) -> HttpResponse:
    file_format = form.cleaned_data["file_format"]
    filters = {
        key: str(value)
        for key, value in (
            ("territoire", request.POST.get("territoire", "") if site is None else ""),
            ("action", site.pk if site is not None and targets.is_action(site) else ""),
            ("since", form.cleaned_data["since"] or ""),
            ("until", form.cleaned_data["until"] or ""),
        )
        if value
    }
    export.record_export(
        user=request.user,
        file_format=file_format,
        site=site if site is not None and not targets.is_action(site) else None,
        filters=urlencode(filters),
        entry_count=len(result),
    )
    if file_format == "csv":
        content = spreadsheets.to_csv(result)
    else:
        about = [
            (_("Exported on"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
            (_("Exported by"), request.user.get_full_name() or request.user.email),
            (_("Site"), targets.title(site) if site else _("Every site you may export")),
            (_("Filters"), urlencode(filters) or _("None")),
            (_("Number of messages"), str(len(result))),
        ]
        content = spreadsheets.to_xlsx(result, about=about, sheet_title=_("Messages"))
    name = f"journal-{targets.kind(site)}-{site.pk}-" if site else "journal-"
    name += timezone.localdate().isoformat()
    return spreadsheets.file_response(content, file_format=file_format, name=name)
