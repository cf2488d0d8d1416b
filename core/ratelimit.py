"""Rate limits of the public forms (access request, contact, site report).

Counters live in the cache shared by all web workers (`caches["shared"]`, a database cache), keyed
by a hash of the value (an IP or an email address) so that no address is stored in clear. The
client's IP address comes from `core.clientip.client_ip` (behind the trusted proxies).
"""

import hashlib

from django.core.cache import caches


def _key(scope: str, kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"{scope}:rate:{kind}:{digest}"


def over_limit(scope: str, kind: str, value: str, limit: int) -> bool:
    """Has `value` already been counted `limit` times in its current window?"""
    return bool(value) and (caches["shared"].get(_key(scope, kind, value)) or 0) >= limit


def count(scope: str, kind: str, value: str, window: int) -> None:
    """Count one more use of `value`; the window starts at its first use."""
    if not value:
        return
    cache = caches["shared"]
    key = _key(scope, kind, value)
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)
