from sitepages.models.attachments import DecreeAttachment
from sitepages.models.children import ClosingSolution, SiteActor, SiteOwner
from sitepages.models.sites import SiteIndexPage, SitePage, SitePageManager, SitePageQuerySet

__all__ = [
    "ClosingSolution",
    "DecreeAttachment",
    "SiteActor",
    "SiteIndexPage",
    "SiteOwner",
    "SitePage",
    "SitePageManager",
    "SitePageQuerySet",
]
