from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.enums import OrganizationCategory, Role, UserStatus
from directory.models.areas import InterventionArea
from directory.models.territories import normalize_name


class OrganizationType(models.Model):
    """Préfecture, DDETS, commune, CCAS, ARS, association… with the role its members usually get."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    category = models.CharField(_("category"), max_length=32, choices=OrganizationCategory.choices)
    default_role = models.CharField(
        _("default role"), max_length=32, choices=Role.choices, default=Role.INTERVENANT
    )

    class Meta:
        verbose_name = _("organisation type")
        verbose_name_plural = _("organisation types")
        ordering = ["category", "name"]

    def __str__(self):
        return self.abbreviation or self.name


class OrganizationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def acting_in(self, territory):
        """The organisations with an area in `territory` or holding it
        (`InterventionAreaQuerySet.acting_in`)."""
        return self.filter(
            models.Exists(
                InterventionArea.objects.acting_in(territory).filter(
                    organization_id=models.OuterRef("pk")
                )
            )
        )

    def for_directory(self):
        """As the directory lists them, by name: their type, their number of active members
        (`member_count`) and their areas (`all_areas`), in a constant number of queries."""
        return (
            self.select_related("type")
            .annotate(
                member_count=models.Count(
                    "users",
                    filter=models.Q(users__is_active=True, users__status=UserStatus.ACTIVE),
                )
            )
            .prefetch_related(
                models.Prefetch(
                    "intervention_areas",
                    queryset=InterventionArea.objects.with_territories(),
                    to_attr="all_areas",
                )
            )
            .order_by("name", "pk")
        )

    def search(self, query: str):
        normalized = normalize_name(query)
        if not normalized:
            return self
        return self.filter(
            models.Q(search_name__contains=normalized)
            | models.Q(abbreviation__iexact=query.strip())
        )


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=255)
    abbreviation = models.CharField(_("abbreviation"), max_length=50, blank=True)
    category = models.CharField(_("category"), max_length=32, choices=OrganizationCategory.choices)
    type = models.ForeignKey(
        OrganizationType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    is_state_funded = models.BooleanField(_("funded by the State"), default=False)
    state_funded_year = models.PositiveSmallIntegerField(
        _("year of State funding"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    search_name = models.CharField(max_length=350, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(
                OpClass("search_name", name="varchar_pattern_ops"),
                name="organization_search_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_state_funded=True) | models.Q(state_funded_year__isnull=True),
                name="organization_funding_year_needs_funding",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(f"{self.name} {self.abbreviation}")
        super().save(*args, **kwargs)
