"""Editorial pages, site-wide settings and the messages the public sends."""

from cms.models.pages import (
    BasePage,
    CharterPage,
    ContactPage,
    ContentPage,
    FaqPage,
    GuideIndexPage,
    GuidePage,
    HomePage,
    PublicFormPage,
    ReportSitePage,
    StatisticsPage,
)
from cms.models.settings import ContactSettings, FooterLinks, MainMenu, MainMenuItem
from cms.models.submissions import ContactMessage, SiteReport

#: Page types anonymous visitors and the public API may see (never sites or their index).
PUBLIC_PAGE_MODELS = (
    HomePage,
    ContentPage,
    CharterPage,
    GuideIndexPage,
    GuidePage,
    FaqPage,
    StatisticsPage,
    ContactPage,
    ReportSitePage,
)

__all__ = [
    "PUBLIC_PAGE_MODELS",
    "BasePage",
    "CharterPage",
    "ContactMessage",
    "ContactPage",
    "ContactSettings",
    "ContentPage",
    "FaqPage",
    "FooterLinks",
    "GuideIndexPage",
    "GuidePage",
    "HomePage",
    "MainMenu",
    "MainMenuItem",
    "PublicFormPage",
    "ReportSitePage",
    "SiteReport",
    "StatisticsPage",
]
