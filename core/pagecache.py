"""Anonymous page cache: the public pages (home, guides, FAQ, statistics…) rendered once, then
served to every anonymous visitor without templates nor queries beyond one version check.

What is cached: a GET answered 200 with HTML to a visitor without session nor messages cookie,
whose response sets no cookie (so no page holding a CSRF token: forms are never cached), says
nothing against caching (`Cache-Control: private / no-cache / no-store`) and is outside the
excluded prefixes (admin, API, media). Members always get fresh pages: they carry a session.

Where: each worker keeps the bodies in its own memory (the "pages" cache); they are keyed by a
*version* held in the shared cache, which every write to a model of `PAGE_CACHE_APPS` changes
(a page published or unpublished, a site saved, a snippet or a setting edited). The version
changes once the writer's transaction has committed (`transaction.on_commit`): a rolled-back
write invalidates nothing, and the version's row is never held by a writer's transaction — it
was, and two writers taking it and a site's lock in opposite orders deadlocked. A reader that
read the version just before the change renders the old content under the old version, which
nobody asks for any more; one that renders the new content under the old version (between the
commit and the change) only stores a fresher page than the key promises. Writes that send no
signal (bulk updates, the data generator) are caught up by the time-to-live,
`PAGE_CACHE_SECONDS`.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

VERSION_KEY = "pagecache:version"
HIT_HEADER = "X-Page-Cache"
#: headers never replayed: the outer middleware sets them again on every response
_DROPPED_HEADERS = {"set-cookie"}


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def current_version(key: str = VERSION_KEY) -> str:
    """The version under `key` in the shared cache (created on first read). Other caches keyed
    by a version of their own (cms/chrome.py) use these functions with their key."""
    shared = caches["shared"]
    version = shared.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not shared.add(key, version, None):
            version = shared.get(key) or version
    return version


def version_for(request) -> str:
    """`current_version()`, read once per request."""
    version = getattr(request, "_pagecache_version", None)
    if version is None:
        version = request._pagecache_version = current_version()
    return version


def invalidate(key: str = VERSION_KEY) -> None:
    """Every cached page (or what `key` versions) is stale, in every worker, from the commit of
    the current transaction on (at once outside a transaction). A failure of the shared cache
    then is logged, not raised: the write has committed, and the time-to-live catches up."""
    transaction.on_commit(lambda: _new_version(key), robust=True)


def _new_version(key: str) -> None:
    caches["shared"].set(key, uuid.uuid4().hex, None)


def is_migration_model(sender) -> bool:
    """The historical models of migrations (their tables, the cache's included, may not exist
    yet)."""
    return sender.__module__ == "__fake__"


def _invalidate_on_write(sender, **kwargs) -> None:
    if kwargs.get("raw") or is_migration_model(sender):
        return  # fixtures, migrations
    if sender._meta.app_label in settings.PAGE_CACHE_APPS and enabled():
        invalidate()


def connect_signals() -> None:
    post_save.connect(_invalidate_on_write, dispatch_uid="pagecache-save")
    post_delete.connect(_invalidate_on_write, dispatch_uid="pagecache-delete")


def _eligible(request) -> bool:
    if request.method != "GET" or not enabled():
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PREFIXES))


def _cacheable(request, response) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


def _key(request) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    return "pagecache:" + hashlib.sha256(address.encode()).hexdigest()


class AnonymousPageCacheMiddleware:
    """Placed after the security headers and static files, before sessions: a hit skips every
    later middleware and the view; the outer middleware still adds its headers.

    Each worker keeps, per address, the page with the version it was rendered under. An address
    is stored as "seen cacheable" the first time (no version read: an address never cacheable —
    a JSON endpoint, a form — costs no query at all); from then on the version is read *before*
    rendering, so a page is never stored under a version newer than its content.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        pages = caches["pages"]
        key = _key(request)
        stored = pages.get(key)
        if stored is None:
            response = self.get_response(request)
            if _cacheable(request, response):
                pages.set(key, (None, b"", []), settings.PAGE_CACHE_SECONDS)
                response[HIT_HEADER] = "miss"
            return response
        version = version_for(request)
        stored_version, content, headers = stored
        if stored_version == version:
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response[HIT_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable(request, response):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _DROPPED_HEADERS
            ]
            pages.set(key, (version, response.content, headers), settings.PAGE_CACHE_SECONDS)
            response[HIT_HEADER] = "miss"
        return response
