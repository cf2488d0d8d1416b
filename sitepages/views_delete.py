"""Deleting a site created by mistake: a confirmation page naming the site, a reason required."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from sitepages import deletion
from sitepages import perms as site_perms
from sitepages.forms.deletion import DeleteSiteForm
from sitepages.views_edit import readable_site


@login_required
def site_delete(request, pk):
    site = readable_site(request, pk)  # 404 when the user may not read it
    if not site_perms.can_delete_site(request.user, site):
        raise PermissionDenied
    form = DeleteSiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        title = site.title
        deletion.delete_site(site=site, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The site « %(title)s » was deleted.") % {"title": title})
        return redirect(reverse("site_list"))
    return TemplateResponse(
        request,
        "sitepages/edit/delete_form.html",
        {
            "title": _("Delete the site"),
            "site": site,
            "form": form,
            "breadcrumb_data": {
                "links": [{"url": site.get_url(request), "title": site.title}],
                "current": _("Delete the site"),
            },
        },
    )
