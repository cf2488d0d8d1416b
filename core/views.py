import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from core.context_processors import platform


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


# The database is unreachable (down, restarting, connection lost): not a bug of the platform.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request=None):
    """The French 503 page, asking the browser (and monitoring) to come back shortly."""
    response = HttpResponse(loader.get_template("503.html").render(platform(None)), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request):
    """Handler of every uncaught exception (views and middleware alike): a lost database is a
    503 with Retry-After, anything else the 500 page. Both are rendered without the request's
    context processors: the failure may come from one of them, and the page must render
    whatever happened."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
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
