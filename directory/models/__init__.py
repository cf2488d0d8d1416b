from directory.models.access import AccessRequest, CharterVersion, PermissionException
from directory.models.areas import InterventionArea
from directory.models.organizations import Organization, OrganizationType
from directory.models.sessions import AccountSession
from directory.models.signins import SIGN_IN_RETENTION, SignInEvent
from directory.models.territories import Commune, Department, Epci, Region, normalize_name
from directory.models.users import User, UserManager, UserQuerySet

__all__ = [
    "AccessRequest",
    "AccountSession",
    "CharterVersion",
    "Commune",
    "Department",
    "Epci",
    "InterventionArea",
    "Organization",
    "OrganizationType",
    "PermissionException",
    "Region",
    "SIGN_IN_RETENTION",
    "SignInEvent",
    "User",
    "UserManager",
    "UserQuerySet",
    "normalize_name",
]
