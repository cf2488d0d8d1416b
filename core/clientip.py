"""The client's IP address, read behind a declared number of trusted reverse proxies.

Behind gunicorn and a reverse proxy, `REMOTE_ADDR` is the proxy's address for every visitor. Each
proxy appends the address it received the request from to `X-Forwarded-For`, so with
`TRUSTED_PROXY_COUNT = N` the last N entries were written by our proxies and the N-th from the end
is the client as the outermost proxy saw it. Everything to its left came from the client and may
be forged: it is never read. With N = 0 (no proxy declared, the default) the header is ignored.

One function for every consumer: the rate limits of the public forms (`core.ratelimit`) and
django-axes (`AXES_CLIENT_IP_CALLABLE`).
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address; None when even the peer's is missing (a request built in code)."""
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()]
    if len(chain) < proxies:  # did not come through every trusted proxy
        return peer
    written_by_proxies = chain[-proxies:]
    if any(_address(part) is None for part in written_by_proxies):
        return peer
    return _address(written_by_proxies[0]) or peer
