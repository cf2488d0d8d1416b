"""Where to send a user next: a `next` parameter is followed only when it stays on the platform
(an open redirect would let a phishing link borrow the platform's address)."""

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe(request, url: str) -> bool:
    """`url` is on this host (a path, or this host's address; https when the request is)."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def next_url(request, default: str = "") -> str:
    """The request's `next` (form field first, then query string) when safe, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return candidate if is_safe(request, candidate) else default
