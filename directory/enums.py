from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Platform roles (docs/domain.md#users-and-roles). Superuser sits above all of them."""

    NATIONAL_ADMIN = "national_admin", _("National administrator")
    LOCAL_ADMIN = "local_admin", _("Local administrator")
    CORRESPONDANT = "correspondant", _("Correspondent")
    PARTENAIRE_INSTITUTIONNEL = "partenaire_institutionnel", _("Institutional partner")
    OPERATEUR = "operateur", _("Operator")
    ACTEUR_NATIONAL = "acteur_national", _("National actor")
    INTERVENANT = "intervenant", _("Field worker")
    OBSERVATEUR_EXTERNE = "observateur_externe", _("External observer")


class UserStatus(models.TextChoices):
    NEW = "new", _("New")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class TerritoryLevel(models.TextChoices):
    NATION = "nation", _("Nation")
    REGION = "region", _("Region")
    DEPARTMENT = "department", _("Department")
    EPCI = "epci", _("EPCI")
    COMMUNE = "commune", _("Commune")


class OrganizationCategory(models.TextChoices):
    ADMINISTRATION = "administration", _("State administration")
    TERRITORIAL_COLLECTIVITY = "territorial_collectivity", _("Local authority")
    ASSOCIATION = "association", _("Association")
    PUBLIC_ESTABLISHMENT = "public_establishment", _("Public establishment")
    PRIVATE_ORGANIZATION = "private_organization", _("Private organisation")
    OTHER = "other", _("Other")


class Topic(models.TextChoices):
    """Themes of action, used for user expertise, site actors and forum categories."""

    HEALTH = "health", _("Health")
    SCHOOL = "school", _("Schooling")
    EMPLOYMENT = "employment", _("Employment")
    HOUSING = "housing", _("Housing")
    MEDIATION = "mediation", _("Mediation")
    SECURITY = "security", _("Security")
    HUMANITARIAN = "humanitarian", _("Humanitarian aid")
    DIAGNOSIS = "diagnosis", _("Social diagnosis")
    STEERING = "steering", _("Steering")
    OTHER = "other", _("Other")


class UserOption(models.TextChoices):
    """Rights granted one by one to a user on top of the role."""

    JUSTICE_ACCESS = "justice_access", _("Access to justice procedures")
    CLOSE_SITE = "close_site", _("Close sites")
    CREATE_SITE = "create_site", _("Declare sites")


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved, waiting for activation")
    REFUSED = "refused", _("Refused")
    ACTIVATED = "activated", _("Account activated")
    EXPIRED = "expired", _("Activation link expired")
