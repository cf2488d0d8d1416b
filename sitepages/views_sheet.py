"""/sites/<id>/fiche/: the printable sheet of a site (printed by the browser) and its Word version
(/sites/<id>/fiche.docx). Same rule as the site page: a reader of the site, 404 otherwise."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from sitepages import sheet, sheet_docx
from sitepages.views_edit import readable_site


def _sheet_site(request, pk):
    site = readable_site(request, pk)  # 404 when the user may not read it
    if not site.live:
        raise Http404  # like the site page of an unpublished site
    return site


@login_required
def site_sheet(request, pk):
    site = _sheet_site(request, pk)
    data = sheet.sheet_data(request, site)
    sheet.record_sheet(user=request.user, site=site, file_format=sheet.HTML)
    context = {
        "title": _("Site sheet: %(title)s") % {"title": site.title},
        "site": site,
        "sheet": data,
        "breadcrumb_data": {
            "links": [{"url": site.get_url(request), "title": site.title}],
            "current": _("Printable sheet"),
        },
    }
    return TemplateResponse(request, "sitepages/sheet.html", context)


@login_required
def site_sheet_docx(request, pk):
    site = _sheet_site(request, pk)
    content = sheet_docx.write(sheet.sheet_data(request, site))
    sheet.record_sheet(user=request.user, site=site, file_format=sheet.DOCX)
    response = HttpResponse(content, content_type=sheet_docx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{sheet.filename(site)}"'
    response["Cache-Control"] = "no-store"
    return response
