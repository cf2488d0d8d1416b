"""The search page and its autocomplete endpoint."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory.models import Department
from search import access
from search.backends import get_backend
from search.backends.base import FACETS
from search.enums import DocStatus, DocType
from search.forms import MAX_PAGE, SearchForm
from search.sources import tag_label


def _facet_titles():
    return {
        "type": _("Type"),
        "department": _("Department"),
        "status": _("Status"),
        "tags": _("Themes"),
        "year": _("Year"),
    }


def _labeller(results):
    department_codes = {value for value, _count in results.facets.get("department", [])}
    department_codes |= {hit.department_code for hit in results.hits if hit.department_code}
    departments = dict(
        Department.objects.filter(code__in=department_codes).values_list("code", "name")
    )
    types, statuses = dict(DocType.choices), dict(DocStatus.choices)

    def label(name, value):
        if name == "type":
            return str(types.get(value, value))
        if name == "department":
            return f"{departments[value]} ({value})" if value in departments else value
        if name == "status":
            return str(statuses.get(value, value))
        if name == "tags":
            return tag_label(value)
        return value

    return label


@login_required
@require_GET
def search(request):
    form = SearchForm(request.GET)
    form.is_valid()  # invalid parts are dropped by search_request(); errors are shown
    search_request = form.search_request()
    searched = bool(search_request.text or search_request.filters)
    context = {
        "title": _("Search"),
        "form": form,
        "query": search_request.text,
        "searched": searched,
        "breadcrumb_data": {"links": [], "current": _("Search")},
    }
    if searched:
        results = get_backend().search(search_request, access.reader_keys(request.user))
        label = _labeller(results)
        selected = search_request.filters
        facets = []
        for name in FACETS:
            values = results.facets.get(name, [])
            chosen = set(selected.get(name, []))
            options = [
                {
                    "value": value,
                    "label": label(name, value),
                    "count": count,
                    "checked": value in chosen,
                    "id": f"facet-{name}-{index}",
                }
                for index, (value, count) in enumerate(values)
            ]
            if options:
                facets.append({"name": name, "title": _facet_titles()[name], "options": options})
        # Pages beyond MAX_PAGE are not offered (refine the search instead).
        reachable = min(results.total, MAX_PAGE * search_request.per_page)
        paginator = Paginator(range(reachable), search_request.per_page)
        page_obj = paginator.get_page(search_request.page) if results.total else None
        hits = [
            {
                "hit": hit,
                "type_label": label("type", hit.doc_type),
                "department_label": label("department", hit.department_code)
                if hit.department_code
                else "",
                "status_label": label("status", hit.status) if hit.status else "",
                "tag_labels": [tag_label(tag) for tag in hit.tags],
            }
            for hit in results.hits
        ]
        context.update(
            results=results,
            # « more than 1 000 »: the backend stopped counting there (Results.total_capped)
            total_display=number_format(results.total, force_grouping=True),
            hits=hits,
            facets=facets,
            page_obj=page_obj,
            show_pagination=bool(page_obj and paginator.num_pages > 1),
        )
    return render(request, "search/search.html", context)


@login_required
@require_GET
def suggestions(request):
    text = (request.GET.get("q") or "").strip()[:100]
    if len(text) < 2:
        return JsonResponse({"results": []})
    results = get_backend().suggest(text, access.reader_keys(request.user), limit=8)
    types = dict(DocType.choices)
    return JsonResponse(
        {
            "results": [
                {
                    "title": item["title"],
                    "url": item["url"],
                    "type": str(types.get(item["type"], "")),
                }
                for item in results
            ]
        }
    )
