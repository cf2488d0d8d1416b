"""The editorial links every page shows — the main menu and the footer's legal pages — read
once and kept in each worker's memory.

Rendering them from the settings costs about ten queries per page (the settings rows, then each
linked page). They change only when an editor edits one of these settings or an editorial page
(the `cms` pages the links point to), or moves a page: such a write changes this cache's version
in the shared cache, and every worker reads the new links on its next request. One query per
request (the version); the sites, journals and actions written all day leave it alone.
"""

from dataclasses import dataclass, field

from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import post_page_move

from core import pagecache

CACHE_SECONDS = 3600
VERSION_KEY = "cms:chrome:version"


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
    version = getattr(request, "_cms_chrome_version", None)
    if version is None:
        version = request._cms_chrome_version = pagecache.current_version(VERSION_KEY)
    key = f"cms:chrome:{version}:{request.get_host()}"
    cache = caches["default"]
    chrome = cache.get(key)
    if chrome is None:
        chrome = _build(request)
        cache.set(key, chrome, CACHE_SECONDS)
    request._cms_chrome = chrome
    return chrome


def _invalidate_on_write(sender, **kwargs) -> None:
    from cms.models import FooterLinks, MainMenu, MainMenuItem

    if kwargs.get("raw") or pagecache.is_migration_model(sender):
        return
    if sender in (MainMenu, MainMenuItem, FooterLinks) or (
        issubclass(sender, Page) and sender._meta.app_label == "cms"
    ):
        pagecache.invalidate(VERSION_KEY)


def _invalidate_on_move(sender, **kwargs) -> None:
    pagecache.invalidate(VERSION_KEY)


def connect_signals() -> None:
    post_save.connect(_invalidate_on_write, dispatch_uid="cms-chrome-save")
    post_delete.connect(_invalidate_on_write, dispatch_uid="cms-chrome-delete")
    post_page_move.connect(_invalidate_on_move, dispatch_uid="cms-chrome-move")
