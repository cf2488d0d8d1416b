from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Platform roles (see shared/domain.md §3). Superuser sits above all of them."""

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
