"""The sites across departments: the list (/sites/), the map (/sites/carte/) and the list of one
department (the `SiteIndexPage`, through `department_index`).

One filter form (`sitepages.filters.SiteFilterForm`) drives the three views and the GeoJSON feed
(`sitepages.geojson`). Only the sites the user may list appear (`SitePage.objects.visible_to`,
i.e. `Feature.SITE_LIST`). Each view runs a fixed number of SQL queries whatever the number of
sites (tests/sitepages/test_list_queries.py).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from directory import perms
from directory.permission_matrix import Feature
from sitepages.completion import completion
from sitepages.filters import PERIMETER_ALL, SiteFilterForm
from sitepages.models.rules import complete_q

PAGE_SIZE = 20

#: Tiles of the map background; a closed network sets its own tile server (docs/sites.md#map-tiles).
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "© OpenStreetMap"

#: Columns the list reads: nothing else is fetched (SitePage has about a hundred columns).
LIST_FIELDS = [
    "id",
    "title",
    "url_path",
    "name",
    "address",
    "people",
    "households",
    "minors",
    "origins",
    "social_diagnosis_status",
    "water_access_type",
    "electricity_access",
    "waste_collection",
    "declared_at",
    "updated_at",
    "last_visited_at",
    "closed_at",
    "closed_with_solutions",
    "heatwave",
    "commune__code",
    "commune__name",
    "commune__epci",
    "commune__department__code",
    "commune__department__name",
    "commune__department__region",
]


def visible_sites(user):
    from sitepages.models import SitePage

    return SitePage.objects.live().visible_to(user)


def site_status(site) -> tuple[str, str]:
    """(label, DSFR badge modifier): open, closed or resorbed."""
    if site.is_resorbed:
        return _("Resorbed"), "fr-badge--success"
    if site.is_closed:
        return _("Closed"), "fr-badge--warning"
    return _("Open"), "fr-badge--info"


def _require_list_right(user) -> None:
    if not perms.can(user, Feature.SITE_LIST):
        raise PermissionDenied


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def completion_by_department(queryset, user) -> dict:
    """Completion of the filtered sites, per department and overall (one query)."""
    rows = list(
        queryset.order_by()
        .values("commune__department_id", "commune__department__name")
        .annotate(total=Count("pk"), complete=Count("pk", filter=complete_q(user)))
        .order_by("commune__department__name", "commune__department_id")
    )
    departments = [
        {
            "code": row["commune__department_id"],
            "name": row["commune__department__name"],
            "total": row["total"],
            "complete": row["complete"],
            "share": _share(row["complete"], row["total"]),
        }
        for row in rows
    ]
    total = sum(row["total"] for row in departments)
    complete = sum(row["complete"] for row in departments)
    return {
        "departments": departments,
        "total": total,
        "complete": complete,
        "share": _share(complete, total),
    }


def site_rows(request, queryset, form, *, total: int):
    """The requested page of sites, with what each row shows. A missing, malformed or
    out-of-range page number gives the first or the last page, never an error."""
    from sitepages.models import SiteOwner

    ordered = form.order(
        queryset.select_related("commune__department")
        .only(*LIST_FIELDS)
        .prefetch_related(
            Prefetch("owners", queryset=SiteOwner.objects.only("id", "site_id", "type"))
        )
    )
    paginator = Paginator(ordered, PAGE_SIZE)
    paginator.__dict__["count"] = total  # already counted with the completion (cached_property)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.pages_list = list(
        paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )
    user = request.user
    page_obj.rows = [
        {
            "site": site,
            "url": site.get_url(request),
            "status": site_status(site),
            "last_update": max(
                date for date in (site.declared_at, site.updated_at, site.last_visited_at) if date
            ),
            "completion": completion(
                site, include_owners=perms.can(user, Feature.SITE_OWNERS, site)
            ),
        }
        for site in page_obj.object_list
    ]
    return page_obj


def _querystring(form) -> str:
    """The filters of the form as a query string, without the page, the empty values and the
    defaults."""
    params = form.data.copy()
    params.pop("page", None)
    for name, default in SiteFilterForm.DEFAULTS.items():
        if params.get(name) == default:
            del params[name]
    for name in list(params):
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            params.setlist(name, values)
        else:
            del params[name]
    return params.urlencode()


def list_context(request, form, *, reset_url: str) -> dict:
    queryset = form.filter(visible_sites(request.user))
    stats = completion_by_department(queryset, request.user)
    querystring = _querystring(form)
    return {
        "form": form,
        "page_obj": site_rows(request, queryset, form, total=stats["total"]),
        "completion_stats": stats,
        "is_filtered": form.is_filtered(),
        "reset_url": reset_url,
        "querystring": querystring,
        "map_url": reverse("site_map") + (f"?{querystring}" if querystring else ""),
        "list_url": reverse("site_list") + (f"?{querystring}" if querystring else ""),
        "can_create": perms.can(request.user, Feature.SITE_CREATE),
        "can_export": perms.can(request.user, Feature.SITE_EXPORT),
        "can_see_dashboard": perms.can(request.user, Feature.STATS_READ),
        "export_url": reverse("site_export") + (f"?{querystring}" if querystring else ""),
        "perimeter_url": _perimeter_url(form),
        "report_url": "" if perms.can(request.user, Feature.SITE_CREATE) else _report_url(),
    }


def _report_url() -> str:
    """The public « report a site » page (cms), for those who may not declare a site: their
    report is routed like any other, to the administrators of the commune."""
    from wagtail.models import Page

    page = (
        Page.objects.live()
        .filter(content_type__app_label="cms", content_type__model="reportsitepage")
        .first()
    )
    return page.url if page is not None else ""


def _perimeter_url(form) -> str:
    """The list with the other perimeter (own areas / every site the user may list)."""
    params = QueryDict(_querystring(form), mutable=True)
    params.pop("page", None)
    params.pop("perimetre", None)
    if not form.widened:
        params["perimetre"] = PERIMETER_ALL
    return reverse("site_list") + (f"?{params.urlencode()}" if params else "")


@login_required
def site_list(request):
    _require_list_right(request.user)
    form = SiteFilterForm(request.GET, user=request.user)
    context = list_context(request, form, reset_url=reverse("site_list"))
    context.update(
        title=_("Sites"),
        form_action=reverse("site_list"),
        breadcrumb_data={"current": _("Sites")},
    )
    return TemplateResponse(request, "sitepages/list/site_list.html", context)


@login_required
def site_map(request):
    _require_list_right(request.user)
    form = SiteFilterForm(request.GET, user=request.user)
    queryset = form.filter(visible_sites(request.user))
    located = Q(latitude__isnull=False, longitude__isnull=False)
    counts = queryset.order_by().aggregate(total=Count("pk"), located=Count("pk", filter=located))
    querystring = _querystring(form)
    suffix = f"?{querystring}" if querystring else ""
    context = {
        "title": _("Map of the sites"),
        "form": form,
        "form_action": reverse("site_map"),
        "reset_url": reverse("site_map"),
        "is_filtered": form.is_filtered(),
        "total": counts["total"],
        "located": counts["located"],
        "not_located": counts["total"] - counts["located"],
        "geojson_url": reverse("site_geojson") + suffix,
        "list_url": reverse("site_list") + suffix,
        "map_url": reverse("site_map") + suffix,
        "tile_url": getattr(settings, "SITES_MAP_TILE_URL", DEFAULT_TILE_URL),
        "tile_attribution": getattr(
            settings, "SITES_MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION
        ),
        "breadcrumb_data": {
            "links": [{"url": reverse("site_list"), "title": _("Sites")}],
            "current": _("Map"),
        },
    }
    return TemplateResponse(request, "sitepages/list/site_map.html", context)


def department_index(request, index):
    """The `SiteIndexPage` of a department: the list, filtered on that department."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    department = index.department
    if not perms.can(request.user, Feature.SITE_LIST, department):
        raise Http404  # never reveal which departments have sites
    data = request.GET.copy()
    for name in ("territoire", "territoire_search", "territoire_label"):
        data.pop(name, None)
    data["territoire"] = f"department:{department.code}"
    form = SiteFilterForm(data, user=request.user)
    context = list_context(request, form, reset_url=index.get_url(request))
    context.update(
        page=index,
        self=index,
        department=department,
        title=index.title,
        form_action=reverse("site_list"),
        breadcrumb_data={
            "links": [{"url": reverse("site_list"), "title": _("Sites")}],
            "current": index.title,
        },
    )
    return TemplateResponse(request, "sitepages/site_index_page.html", context)
