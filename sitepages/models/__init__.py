from sitepages.models.children import ClosingSolution, SiteActor, SiteOwner
from sitepages.models.sites import SiteIndexPage, SitePage, SitePageManager, SitePageQuerySet

__all__ = [
    "ClosingSolution",
    "SiteActor",
    "SiteIndexPage",
    "SiteOwner",
    "SitePage",
    "SitePageManager",
    "SitePageQuerySet",
]
