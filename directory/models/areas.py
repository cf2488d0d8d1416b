from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.enums import TerritoryLevel
from directory.models.territories import territory_of


class InterventionArea(models.Model):
    """A territory where a user or an organisation acts: the nation, a region, a department,
    an EPCI or a commune. Exactly one owner (user or organisation); one area may be the main one.
    """

    level = models.CharField(_("level"), max_length=16, choices=TerritoryLevel.choices)
    region = models.ForeignKey(
        "directory.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "directory.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    epci = models.ForeignKey(
        "directory.Epci", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        "directory.Commune", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    is_main = models.BooleanField(_("main area"), default=False)
    user = models.ForeignKey(
        "directory.User",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="intervention_areas",
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="intervention_areas",
    )

    class Meta:
        verbose_name = _("intervention area")
        verbose_name_plural = _("intervention areas")
        ordering = ["-is_main", "level"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, organization__isnull=True)
                    | models.Q(user__isnull=True, organization__isnull=False)
                ),
                name="area_has_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        level=TerritoryLevel.NATION,
                        region__isnull=True,
                        department__isnull=True,
                        epci__isnull=True,
                        commune__isnull=True,
                    )
                    | models.Q(
                        level=TerritoryLevel.REGION,
                        region__isnull=False,
                        department__isnull=True,
                        epci__isnull=True,
                        commune__isnull=True,
                    )
                    | models.Q(
                        level=TerritoryLevel.DEPARTMENT,
                        region__isnull=True,
                        department__isnull=False,
                        epci__isnull=True,
                        commune__isnull=True,
                    )
                    | models.Q(
                        level=TerritoryLevel.EPCI,
                        region__isnull=True,
                        department__isnull=True,
                        epci__isnull=False,
                        commune__isnull=True,
                    )
                    | models.Q(
                        level=TerritoryLevel.COMMUNE,
                        region__isnull=True,
                        department__isnull=True,
                        epci__isnull=True,
                        commune__isnull=False,
                    )
                ),
                name="area_territory_matches_level",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_main=True, user__isnull=False),
                name="area_one_main_per_user",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_main=True, organization__isnull=False),
                name="area_one_main_per_organization",
            ),
        ]

    def __str__(self):
        territory = self.territory
        return str(territory) if territory else str(TerritoryLevel(self.level).label)

    @property
    def territory(self):
        return territory_of(self, self.level)

    def clean(self):
        super().clean()
        expected = {
            TerritoryLevel.REGION: "region",
            TerritoryLevel.DEPARTMENT: "department",
            TerritoryLevel.EPCI: "epci",
            TerritoryLevel.COMMUNE: "commune",
        }.get(self.level)
        for field in ("region", "department", "epci", "commune"):
            value = getattr(self, f"{field}_id")
            if field == expected and value is None:
                raise ValidationError({field: _("Choose the territory of this area.")})
            if field != expected and value is not None:
                setattr(self, field, None)

    @classmethod
    def for_territory(cls, territory, **kwargs):
        """Build an (unsaved) area from a Region, Department, Epci or Commune; None = nation."""
        if territory is None:
            return cls(level=TerritoryLevel.NATION, **kwargs)
        level = territory.level
        return cls(level=level, **{level.value: territory}, **kwargs)
