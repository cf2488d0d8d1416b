"""Rows attached to a site page and saved with its revisions (modelcluster `ParentalKey`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from sitepages.enums import OwnerType, SiteActorTheme, SolutionType
from sitepages.fields import ChoiceArrayField


class SiteOwner(Orderable):
    """An owner of the land or building. Sensitive: shown only with `site.access_owners`."""

    site = ParentalKey("sitepages.SitePage", on_delete=models.CASCADE, related_name="owners")
    type = models.CharField(
        _("owner type"), max_length=20, choices=OwnerType.choices, default=OwnerType.UNKNOWN
    )
    name = models.CharField(_("owner name"), max_length=255, blank=True)

    panels = [FieldPanel("type"), FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("owner")
        verbose_name_plural = _("owners")

    def __str__(self):
        return self.name or str(self.get_type_display())


class ClosingSolution(Orderable):
    """What the inhabitants were offered when the site closed, per solution type."""

    site = ParentalKey(
        "sitepages.SitePage", on_delete=models.CASCADE, related_name="closing_solutions"
    )
    solution_type = models.CharField(_("solution"), max_length=30, choices=SolutionType.choices)
    people = models.PositiveIntegerField(_("people concerned"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households concerned"), null=True, blank=True)

    panels = [FieldPanel("solution_type"), FieldPanel("people"), FieldPanel("households")]

    class Meta(Orderable.Meta):
        verbose_name = _("closing solution")
        verbose_name_plural = _("closing solutions")

    def __str__(self):
        return str(self.get_solution_type_display())

    def clean(self):
        super().clean()
        if (
            self.people is not None
            and self.households is not None
            and self.households > self.people
        ):
            raise ValidationError({"households": _("There cannot be more households than people.")})


class SiteActor(Orderable):
    """A user who acts on the site, and on which themes."""

    site = ParentalKey("sitepages.SitePage", on_delete=models.CASCADE, related_name="actors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="site_actor_roles",
    )
    themes = ChoiceArrayField(
        models.CharField(max_length=20, choices=SiteActorTheme.choices),
        verbose_name=_("themes"),
        default=list,
        blank=True,
    )

    panels = [FieldPanel("user"), FieldPanel("themes")]

    class Meta(Orderable.Meta):
        verbose_name = _("site actor")
        verbose_name_plural = _("site actors")
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], name="sitepages_actor_unique_user")
        ]

    def __str__(self):
        return str(self.user)

    def clean(self):
        super().clean()
        if not self.themes:
            raise ValidationError({"themes": _("Choose at least one theme.")})
        if len(set(self.themes)) != len(self.themes):
            self.themes = list(dict.fromkeys(self.themes))
