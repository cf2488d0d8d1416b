"""Site-wide settings edited in the Wagtail admin (Settings menu)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


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


@register_setting(icon="list-ul")
class MainMenu(ClusterableModel, BaseSiteSetting):
    """The links of the header's main menu, after "Home" (rendered by
    `cms/includes/main_menu.html`)."""

    panels = [InlinePanel("items", label=_("Links"))]

    class Meta:
        verbose_name = _("main menu")


class MainMenuItem(Orderable):
    menu = ParentalKey(MainMenu, on_delete=models.CASCADE, related_name="items")
    label = models.CharField(_("label"), max_length=60)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.CharField(
        _("or an address"),
        max_length=255,
        blank=True,
        help_text=_("A path on this site (/demande-acces/) or a full address."),
    )

    panels = [FieldPanel("label"), FieldPanel("link_page"), FieldPanel("link_url")]

    class Meta(Orderable.Meta):
        verbose_name = _("menu link")
        verbose_name_plural = _("menu links")

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if not self.link_page_id and not self.link_url:
            raise ValidationError({"link_page": _("Choose a page or give an address.")})

    @property
    def href(self) -> str:
        if self.link_page_id:
            return self.link_page.url or ""
        return self.link_url


def _validate_email_lines(value: str) -> None:
    for line in value.splitlines():
        if line.strip():
            try:
                validate_email(line.strip())
            except ValidationError:
                raise ValidationError(
                    _("“%(line)s” is not a valid email address."), params={"line": line.strip()}
                ) from None


@register_setting(icon="mail")
class ContactSettings(BaseSiteSetting):
    """Where the contact form and the site reports go when no local administrator does."""

    national_team_emails = models.TextField(
        _("national team's addresses"),
        blank=True,
        validators=[_validate_email_lines],
        help_text=_(
            "One address per line. When empty, the national administrators receive the messages."
        ),
    )

    panels = [FieldPanel("national_team_emails")]

    class Meta:
        verbose_name = _("contact form")

    @property
    def national_emails(self) -> list[str]:
        return [line.strip() for line in self.national_team_emails.splitlines() if line.strip()]
