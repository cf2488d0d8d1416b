"""The editorial links every page shows — the main menu and the footer's legal pages — read
once and kept in each worker's memory.

Rendering them from the settings costs about ten queries per page (the settings rows, then each
linked page). They change only when an editor edits a setting or moves a page, and any such
write changes the page cache's version (`core.pagecache`), which keys this cache too: every
worker reads the new links on its next request. One query per request (the version), none more
within the request.
"""

from dataclasses import dataclass, field

from django.core.cache import caches
from wagtail.models import Site

from core import pagecache

CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Chrome:
    #: (label, href) of the main menu's links, in order
    menu: list[tuple[str, str]] = field(default_factory=list)
    #: footer: the URL of each legal page ("" when none is chosen) and the accessibility status
    legal_notice: str = ""
    accessibility: str = ""
    accessibility_status: str = ""
    privacy: str = ""
    terms: str = ""


def _build(request) -> Chrome:
    from cms.models import FooterLinks, MainMenu

    site = Site.find_for_request(request)
    if site is None:
        return Chrome()
    # Read, never created here (`for_site` would create the rows, a write that makes the
    # version this is cached under stale at once).
    menu = MainMenu.objects.filter(site=site).first()
    items = menu.items.select_related("link_page") if menu is not None else []
    links = []
    for item in items:
        if item.link_page_id:
            href = item.link_page.get_url(request) or ""
        else:
            href = item.link_url
        if href:
            links.append((item.label, href))
    footer = (
        FooterLinks.objects.filter(site=site)
        .select_related("legal_notice", "accessibility", "privacy", "terms")
        .first()
    )
    if footer is None:
        return Chrome(menu=links)
    pages = {
        name: getattr(footer, name)
        for name in ("legal_notice", "accessibility", "privacy", "terms")
    }
    return Chrome(
        menu=links,
        accessibility_status=footer.accessibility_status,
        **{name: (page.get_url(request) or "") if page else "" for name, page in pages.items()},
    )


def chrome_for(request) -> Chrome:
    """The links for this request's site: memoised on the request, cached per worker."""
    if request is None:
        return Chrome()
    cached = getattr(request, "_cms_chrome", None)
    if cached is not None:
        return cached
    key = f"cms:chrome:{pagecache.version_for(request)}:{request.get_host()}"
    cache = caches["default"]
    chrome = cache.get(key)
    if chrome is None:
        chrome = _build(request)
        cache.set(key, chrome, CACHE_SECONDS)
    request._cms_chrome = chrome
    return chrome
