"""The interactive documentation page of /api/v1/ (Swagger UI, assets from the installed
drf-spectacular-sidecar package: no CDN, no inline script)."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie


@ensure_csrf_cookie
def api_docs(request):
    return render(request, "api/docs.html", {"title": _("Partner API")})
