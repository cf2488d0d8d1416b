from sitepages.models.attachments import DecreeAttachment
from sitepages.models.children import ClosingSolution, SiteActor, SiteOwner
from sitepages.models.exports import SiteExport
from sitepages.models.follows import SiteFollow
from sitepages.models.sites import (
    SiteIndexPage,
    SitePage,
    SitePageManager,
    SitePageQuerySet,
    home_page,
)

__all__ = [
    "ClosingSolution",
    "DecreeAttachment",
    "SiteActor",
    "SiteExport",
    "SiteFollow",
    "SiteIndexPage",
    "SiteOwner",
    "SitePage",
    "SitePageManager",
    "SitePageQuerySet",
    "home_page",
]
