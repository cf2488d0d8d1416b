"""/sites/tableau-de-bord/: the territorial dashboard of the sites the user may list."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from directory import perms
from directory.fields import TerritoryField
from directory.permission_matrix import Feature
from sitepages import hooks
from sitepages.dashboard import ALERT_WINDOW_DAYS, dashboard
from sitepages.models.rules import STALE_AFTER_DAYS
from sitepages.views_list import visible_sites


class DashboardForm(DsfrBaseForm):
    territoire = TerritoryField(
        label=gettext_lazy("Territory"),
        help_text=gettext_lazy(
            "A region, a department, an EPCI or a commune. Empty: every site you may see."
        ),
        required=False,
    )


@login_required
def site_dashboard(request):
    user = request.user
    if not (perms.can(user, Feature.STATS_READ) and perms.can(user, Feature.SITE_LIST)):
        raise PermissionDenied
    form = DashboardForm(request.GET or None)
    territory = form.cleaned_data.get("territoire") if form.is_valid() else None
    sites = visible_sites(user)
    list_params = {"statut": "ouverts"}
    if territory is not None:
        sites = sites.in_territory(territory)
        list_params["territoire"] = request.GET.get("territoire", "")
    list_url = reverse("site_list") + "?" + urlencode(list_params)
    data = dashboard(sites, user)
    _link_alerts(request, data["alerts"])
    context = {
        "extra_blocks": hooks.dashboard_blocks(request, sites, territory),
        "title": _("Dashboard of the sites"),
        "form": form,
        "territory": territory,
        "data": data,
        "list_url": list_url,
        "stale_url": list_url + "&non_actualise=on",
        "stale_months": round(STALE_AFTER_DAYS / 30.5),
        "alert_months": round(ALERT_WINDOW_DAYS / 30.5),
        "breadcrumb_data": {
            "links": [{"url": reverse("site_list"), "title": _("Sites")}],
            "current": _("Dashboard"),
        },
    }
    return TemplateResponse(request, "sitepages/dashboard/site_dashboard.html", context)


def _link_alerts(request, alerts) -> None:
    """The URL of each alerted site (a few pages; Wagtail caches the site roots per request)."""
    from sitepages.models import SitePage

    pages = SitePage.objects.filter(pk__in=[alert["pk"] for alert in alerts]).only(
        "id", "url_path", "title"
    )
    urls = {page.pk: page.get_url(request) for page in pages}
    for alert in alerts:
        alert["url"] = urls.get(alert["pk"])
