"""The platform's French 404 page under DEBUG (development and `make demo`).

With DEBUG on, Django answers a missing page with its technical 404 (in English, listing every
URL pattern). The demo is what new users and decision-makers see, so the development settings
add this middleware: an address that resolves to nothing, or a view raising Http404, gets the
platform's page. CommonMiddleware still redirects `/sites` to `/sites/` (it acts on 404
responses), and Wagtail's redirects too.
"""

from django.http import Http404
from django.urls import Resolver404, get_urlconf, resolve

from core.views import page_not_found


class PlatformNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            resolve(request.path_info, getattr(request, "urlconf", None) or get_urlconf())
        except Resolver404:
            return page_not_found(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
