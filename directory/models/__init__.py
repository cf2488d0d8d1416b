from directory.models.access import AccessRequest, CharterVersion, PermissionException
from directory.models.areas import InterventionArea
from directory.models.organizations import Organization, OrganizationType
from directory.models.territories import Commune, Department, Epci, Region, normalize_name
from directory.models.users import User, UserManager, UserQuerySet

__all__ = [
    "AccessRequest",
    "CharterVersion",
    "Commune",
    "Department",
    "Epci",
    "InterventionArea",
    "Organization",
    "OrganizationType",
    "PermissionException",
    "Region",
    "User",
    "UserManager",
    "UserQuerySet",
    "normalize_name",
]
