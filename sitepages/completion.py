"""Completion of a site, the funding contract's indicator (docs/domain.md#completion).

A site is complete when its address, owner type, social diagnosis status, number of people,
households and minors, origins, and water, electricity and waste access are all known.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sitepages.enums import OwnerType, WaterAccessType


@dataclass(frozen=True)
class Completion:
    done: int
    total: int
    #: (key, label) of each missing item, in the contract's order
    missing: tuple

    @property
    def rate(self) -> float:
        """Between 0 and 1."""
        return self.done / self.total if self.total else 1.0

    @property
    def is_complete(self) -> bool:
        return not self.missing

    @property
    def missing_keys(self) -> list[str]:
        return [key for key, _label in self.missing]


def _owner_type_known(site) -> bool:
    return any(owner.type and owner.type != OwnerType.UNKNOWN for owner in site.owners.all())


ITEMS = [
    ("address", _("address"), lambda site: bool(site.address.strip())),
    ("owner_type", _("owner type"), _owner_type_known),
    (
        "social_diagnosis_status",
        _("social diagnosis status"),
        lambda site: bool(site.social_diagnosis_status),
    ),
    ("people", _("number of people"), lambda site: site.people is not None),
    ("households", _("number of households"), lambda site: site.households is not None),
    ("minors", _("number of minors"), lambda site: site.minors is not None),
    ("origins", _("origins"), lambda site: bool(site.origins)),
    (
        "water_access_type",
        _("water access"),
        lambda site: site.water_access_type not in ("", WaterAccessType.UNKNOWN),
    ),
    ("electricity_access", _("electricity access"), lambda s: s.electricity_access is not None),
    ("waste_collection", _("waste collection"), lambda site: site.waste_collection is not None),
]


def completion(site, *, include_owners: bool = True) -> Completion:
    """The contract completion. Readers without access to owners get it without the owner item,
    so that it reveals nothing about owners (docs/domain.md#hard-rules)."""
    items = [item for item in ITEMS if include_owners or item[0] != "owner_type"]
    missing = tuple((key, label) for key, label, known in items if not known(site))
    return Completion(done=len(items) - len(missing), total=len(items), missing=missing)
