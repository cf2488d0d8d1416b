from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.enums import TerritoryLevel
from directory.models.territories import Commune, Department, Epci, Region, territory_of


def acting_in_q(territory) -> Q:
    """Intervention areas (as a filter on InterventionArea) of someone acting in `territory`:
    areas inside it, and the wider areas that hold it (never the nation, which holds all)."""
    if isinstance(territory, Region):
        return (
            Q(region=territory)
            | Q(department__region=territory)
            | Q(epci__communes__department__region=territory)
            | Q(commune__department__region=territory)
        )
    if isinstance(territory, Department):
        return (
            Q(region_id=territory.region_id)
            | Q(department=territory)
            | Q(epci__communes__department=territory)
            | Q(commune__department=territory)
        )
    if isinstance(territory, Epci):
        return (
            Q(region__departments__communes__epci=territory)
            | Q(department__communes__epci=territory)
            | Q(epci=territory)
            | Q(commune__epci=territory)
        )
    if isinstance(territory, Commune):
        query = (
            Q(region__departments=territory.department_id)
            | Q(department_id=territory.department_id)
            | Q(commune=territory)
        )
        if territory.epci_id:  # never `epci_id=None`: that would match every area without EPCI
            query |= Q(epci_id=territory.epci_id)
        return query
    raise TypeError(f"Not a territory: {territory!r}")


class InterventionAreaQuerySet(models.QuerySet):
    def acting_in(self, territory):
        """The areas of someone acting in `territory` (a Region, Department, Epci or Commune):
        areas inside it and the wider areas that hold it, never the nation (`acting_in_q`)."""
        return self.filter(acting_in_q(territory))

    def with_territories(self):
        """With their territory (what `str(area)` shows), without a query per area."""
        return self.select_related("region", "department", "epci", "commune")


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

    objects = InterventionAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("intervention area")
        verbose_name_plural = _("intervention areas")
        ordering = ["-is_main", "level"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, organization__isnull=True)
                    | Q(user__isnull=True, organization__isnull=False)
                ),
                name="area_has_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        level=TerritoryLevel.NATION,
                        region__isnull=True,
                        department__isnull=True,
                        epci__isnull=True,
                        commune__isnull=True,
                    )
                    | Q(
                        level=TerritoryLevel.REGION,
                        region__isnull=False,
                        department__isnull=True,
                        epci__isnull=True,
                        commune__isnull=True,
                    )
                    | Q(
                        level=TerritoryLevel.DEPARTMENT,
                        region__isnull=True,
                        department__isnull=False,
                        epci__isnull=True,
                        commune__isnull=True,
                    )
                    | Q(
                        level=TerritoryLevel.EPCI,
                        region__isnull=True,
                        department__isnull=True,
                        epci__isnull=False,
                        commune__isnull=True,
                    )
                    | Q(
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
                condition=Q(is_main=True, user__isnull=False),
                name="area_one_main_per_user",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_main=True, organization__isnull=False),
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
