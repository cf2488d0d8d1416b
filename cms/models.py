"""Editorial pages: the home page and plain content pages (legal notice, accessibility...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class BasePage(Page):
    """Fields and behaviour shared by every editorial page."""

    class Meta:
        abstract = True


class HomePage(BasePage):
    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ContentPage", "sitepages.SiteIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class ContentPage(BasePage):
    """A plain page: legal notice, accessibility statement, privacy, terms of use."""

    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("body")]

    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")


@register_setting(icon="link")
class FooterLinks(BaseSiteSetting):
    """Pages linked from every footer, as the State design system requires."""

    legal_notice = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("legal notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_status = models.CharField(
        _("accessibility compliance"),
        max_length=20,
        choices=[
            ("non", _("not compliant")),
            ("partielle", _("partially compliant")),
            ("totale", _("fully compliant")),
        ],
        default="non",
    )
    privacy = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("personal data"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    terms = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("terms of use"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("legal_notice"),
        FieldPanel("accessibility"),
        FieldPanel("accessibility_status"),
        FieldPanel("privacy"),
        FieldPanel("terms"),
    ]

    class Meta:
        verbose_name = _("footer links")
