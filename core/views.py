from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from core.context_processors import platform


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered without the request's context processors: the failure may come from one of them
    # (a database outage, say), and this page must render whatever happened.
    return HttpResponseServerError(loader.get_template("500.html").render(platform(None)))


@never_cache
def health(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
        status = 200
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        database = "unavailable"
        status = 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database}, status=status
    )
