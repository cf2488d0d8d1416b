"""Editorial page types: home, plain content, charter, help guides, FAQ, statistics, and the two
public forms (contact, report a site). Every type declares where it lives in the tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import FAQ_BLOCKS, GUIDE_BLOCKS, HOME_BLOCKS
from directory.models import CharterVersion

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]

#: Page types an editor may add under the home page.
HOME_SUBPAGE_TYPES = [
    "cms.ContentPage",
    "cms.CharterPage",
    "cms.GuideIndexPage",
    "cms.FaqPage",
    "cms.StatisticsPage",
    "cms.ContactPage",
    "cms.ReportSitePage",
    "sitepages.SiteIndexPage",
]


class BasePage(Page):
    """Fields and behaviour shared by every editorial page."""

    intro = models.TextField(_("introduction"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.depth > 2:
            ancestors = self.get_ancestors().filter(depth__gte=3).specific()
            context["breadcrumb_data"] = {
                "links": [{"url": page.url, "title": page.title} for page in ancestors],
                "current": self.title,
            }
        return context


class HomePage(BasePage):
    body = RichTextField(_("body"), blank=True, features=RICH_TEXT_FEATURES)
    content = StreamField(HOME_BLOCKS, verbose_name=_("blocks"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("content"),
    ]
    api_fields = [*BasePage.api_fields, APIField("body"), APIField("content")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = HOME_SUBPAGE_TYPES
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class ContentPage(BasePage):
    """A plain page: legal notice, accessibility statement, privacy, terms of use."""

    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    api_fields = [*BasePage.api_fields, APIField("body")]

    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")


class CharterPage(BasePage):
    """The charter of engagement, public: its text is the version in force
    (`directory.CharterVersion`, edited as a snippet), the one users accept at `/charte/`."""

    body = RichTextField(_("text before the charter"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    api_fields = [*BasePage.api_fields, APIField("body"), APIField("charter_text")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("charter page")

    @property
    def charter(self):
        return CharterVersion.objects.current()

    @property
    def charter_text(self) -> str:
        charter = self.charter
        return str(charter.body) if charter else ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["charter"] = self.charter
        return context


class GuideIndexPage(BasePage):
    """The help guides. Guides restricted to logged-in users (Wagtail's page privacy) are
    listed only to logged-in users."""

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.GuidePage"]

    class Meta:
        verbose_name = _("guide index")

    def guides(self, user):
        guides = GuidePage.objects.child_of(self).live().order_by("path")
        if not user.is_authenticated:
            guides = guides.public()
        return guides

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = self.guides(request.user)
        context["has_reserved_guides"] = (
            not request.user.is_authenticated
            and GuidePage.objects.child_of(self).live().not_public().exists()
        )
        return context


class GuidePage(BasePage):
    body = StreamField(GUIDE_BLOCKS, verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    api_fields = [*BasePage.api_fields, APIField("body")]

    parent_page_types = ["cms.GuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("guide")


class FaqPage(BasePage):
    """Questions and answers grouped under headings (the « idées reçues »)."""

    body = StreamField(FAQ_BLOCKS, verbose_name=_("questions"))
    outro = RichTextField(_("text after the questions"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("outro"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    api_fields = [*BasePage.api_fields, APIField("body"), APIField("outro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("FAQ page")


class StatisticsPage(BasePage):
    """Public statistics, computed by `cms.statistics` (cached, small counts suppressed)."""

    body = RichTextField(_("methodology"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    api_fields = [*BasePage.api_fields, APIField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("statistics page")

    def get_context(self, request, *args, **kwargs):
        from cms import statistics

        context = super().get_context(request, *args, **kwargs)
        context["stats"] = statistics.public_statistics()
        return context


class PublicFormPage(BasePage):
    """A public form beside the page's texts: contact, report a site. `cms.views_public` serves it
    (GET shows the form, POST validates, applies the rate limits, stores and routes) with the one
    template of these pages; a concrete type says which form it serves and how the page reads."""

    body = RichTextField(_("text beside the form"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    api_fields = [*BasePage.api_fields, APIField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    #: Set by each concrete type: the form's HTML id; its fieldsets as (legend, field names), the
    #: honeypot field closing the last one; the submit button; the confirmation shown after a
    #: submission; whether the page points to the access request form.
    form_id = ""
    fieldsets: tuple = ()
    submit_label = ""
    sent_title = ""
    sent_text = ""
    offers_access_request = False

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        # Wagtail names a template per concrete type; these pages share one.
        return "cms/public_form_page.html"

    def form_fieldsets(self, form) -> list:
        """The fieldsets with the form's bound fields: (legend, [bound field, …])."""
        return [(legend, [form[name] for name in names]) for legend, names in self.fieldsets]


class ContactPage(PublicFormPage):
    """The contact form (`cms.forms.ContactForm`)."""

    form_id = "contact-form"
    fieldsets = (
        (_("Your request"), ("request_type", "department", "message")),
        (
            _("You"),
            (
                "first_name",
                "last_name",
                "email",
                "email_confirmation",
                "phone",
                "organization",
                "consent",
            ),
        ),
    )
    submit_label = _("Send my message")
    sent_title = _("Your message has been sent")
    sent_text = _(
        "Thank you. You will receive an acknowledgement by email, and an answer as soon as "
        "possible."
    )
    offers_access_request = True

    class Meta:
        verbose_name = _("contact page")

    def serve(self, request, *args, **kwargs):
        from cms import views_public

        return views_public.serve_contact(request, self)


class ReportSitePage(PublicFormPage):
    """The public "report a site" form (`cms.forms.SiteReportForm`): never creates a site."""

    form_id = "report-form"
    fieldsets = (
        (_("The place"), ("commune", "address", "approximate_people", "description")),
        (_("You (optional)"), ("reporter_name", "reporter_email", "reporter_phone")),
    )
    submit_label = _("Send the report")
    sent_title = _("Your report has been sent")
    sent_text = _("Thank you. The administrators of the department will look into it.")

    class Meta:
        verbose_name = _("report a site page")

    def serve(self, request, *args, **kwargs):
        from cms import views_public

        return views_public.serve_report(request, self)
