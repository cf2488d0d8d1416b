"""Public views: the contact and "report a site" forms (served by their Wagtail pages), the
statistics as open data (JSON for the API, CSV), sitemap.xml and robots.txt."""

import csv

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from cms import contact, statistics
from cms.enums import ContactRequestType
from cms.forms import ContactForm, SiteReportForm
from cms.models import PUBLIC_PAGE_MODELS
from core import ratelimit
from core.clientip import client_ip

RATE_LIMIT_PER_IP = getattr(settings, "CONTACT_RATE_LIMIT_PER_IP", 5)
RATE_LIMIT_IP_WINDOW = 60 * 60  # one hour
RATE_LIMIT_PER_EMAIL = getattr(settings, "CONTACT_RATE_LIMIT_PER_EMAIL", 3)
RATE_LIMIT_EMAIL_WINDOW = 60 * 60 * 24  # one day
SENT_PARAMETER = "envoye"


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _too_many(request):
    message = _(
        "Too many messages have been sent from your connection or with this email address. "
        "Please try again later."
    )
    return TemplateResponse(
        request,
        "rate_limited.html",
        {"title": _("Too many messages"), "message": message, "advice": ""},
        status=429,
    )


def _serve_form(request, page, *, name, form_class, submit, email_field, initial=None):
    """GET shows the form; POST validates, applies the rate limits, stores and routes. The page
    (a `cms.models.PublicFormPage`) gives the template and how the form is laid out."""
    ip = client_ip(request) or "unknown"
    sent = request.GET.get(SENT_PARAMETER) == "1"
    if request.method == "POST":
        if ratelimit.over_limit(f"cms:{name}", "ip", ip, RATE_LIMIT_PER_IP):
            return _too_many(request)
        if (
            name == "contact"
            and request.POST.get("request_type") == ContactRequestType.ACCESS_REQUEST
        ):
            # Access requests have their own flow, with its own checks and decision screens.
            return redirect("access_request_create")
        form = form_class(request.POST)
        if form.honeypot_filled:
            # A bot: pretend everything went well, store and send nothing.
            ratelimit.count(f"cms:{name}", "ip", ip, RATE_LIMIT_IP_WINDOW)
            return redirect(f"{page.url}?{SENT_PARAMETER}=1")
        if form.is_valid():
            email = form.cleaned_data.get(email_field) or ""
            if ratelimit.over_limit(f"cms:{name}", "email", email, RATE_LIMIT_PER_EMAIL):
                return _too_many(request)
            submit(form, request)
            ratelimit.count(f"cms:{name}", "ip", ip, RATE_LIMIT_IP_WINDOW)
            ratelimit.count(f"cms:{name}", "email", email, RATE_LIMIT_EMAIL_WINDOW)
            return redirect(f"{page.url}?{SENT_PARAMETER}=1")
    else:
        form = form_class(initial=initial)
    context = page.get_context(request)
    context.update({"form": form, "sent": sent, "fieldsets": page.form_fieldsets(form)})
    response = TemplateResponse(request, page.get_template(request), context)
    add_never_cache_headers(response)
    return response


def serve_contact(request, page):
    def submit(form, request):
        contact.submit_contact(**form.message_data(), base_url=_base_url(request))

    return _serve_form(
        request,
        page,
        name="contact",
        form_class=ContactForm,
        submit=submit,
        email_field="email",
    )


def serve_report(request, page):
    def submit(form, request):
        contact.submit_report(**form.report_data(), base_url=_base_url(request))

    return _serve_form(
        request,
        page,
        name="report",
        form_class=SiteReportForm,
        submit=submit,
        email_field="reporter_email",
        initial=_reporter_identity(request.user),
    )


def _reporter_identity(user) -> dict | None:
    """A platform member reporting from inside (« Signaler un nouveau site »): who they are."""
    if not user.is_authenticated:
        return None
    return {
        "reporter_name": user.get_full_name(),
        "reporter_email": user.email,
        "reporter_phone": user.phone,
    }


# --- Open data ----------------------------------------------------------------------------------


def statistics_json(request):
    response = JsonResponse(statistics.public_statistics().as_api())
    response["Access-Control-Allow-Origin"] = "*"
    return response


def statistics_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistiques-resorption.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response.write("\ufeff")  # spreadsheet software then reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerows(statistics.public_statistics().csv_rows())
    return response


# --- Sitemap and robots.txt ---------------------------------------------------------------------


class PublicPagesSitemap(Sitemap):
    """Live pages of the public page types without any view restriction (Wagtail's page
    privacy, on them or an ancestor): never sites, their index, or reserved guides."""

    def items(self):
        return super().items().type(*PUBLIC_PAGE_MODELS)


@require_GET
@cache_control(public=True, max_age=60 * 60)
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": PublicPagesSitemap})


#: Paths search engines have no business crawling (the administration and logged-in areas).
ROBOTS_DISALLOWED = ("/admin/", "/sites/", "/journal/", "/recherche/", "/messages-recus/")


@require_GET
@cache_control(public=True, max_age=60 * 60 * 24)
def robots_txt(request):
    lines = [
        "User-agent: *",
        *[f"Disallow: {path}" for path in ROBOTS_DISALLOWED],
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
