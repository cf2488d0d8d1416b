"""Choice lists of a site (docs/domain.md#sites). Values are stable identifiers; labels are French
through the catalogue (English msgids)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.enums import Topic


class FieldType(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    LAND = "land", _("Land")
    BUILDING = "building", _("Built building")


class YesNoUnknown(models.TextChoices):
    """For the few questions stored as text; most yes/no/unknown answers are nullable booleans."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class OwnerType(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    STATE = "state", _("State")


class SocialDiagnosisStatus(models.TextChoices):
    NONE = "none", _("Not done")
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")


class ResorptionPhase(models.TextChoices):
    """The preparatory phases of a site's resorption process, in their usual order (the social
    diagnosis is the site's own social diagnosis, `social_diagnosis_*`)."""

    SOCIAL_DIAGNOSIS = "social_diagnosis", _("Social diagnosis")
    TECHNICAL_DIAGNOSIS = "technical_diagnosis", _("Technical diagnosis")
    SOCIAL_ASSESSMENT = "social_assessment", _("Social assessment")
    POLITICAL_VALIDATION = "political_validation", _("Political validation")


class Origin(models.TextChoices):
    """Nationalities only, never ethnic data (docs/domain.md#hard-rules)."""

    FRENCH = "french", _("French nationals")
    EUROPEAN = "european", _("EU nationals")
    OTHER = "other", _("Non-EU nationals")


class WaterAccessType(models.TextChoices):
    PUBLIC_FOUNTAIN = "public_fountain", _("Public fountain")
    FIRE_HYDRANT = "fire_hydrant", _("Fire hydrant")
    BOTTLES = "bottles", _("Bought bottles")
    TANK = "tank", _("Tank")
    NETWORK_TAP = "network_tap", _("Tap connected to the network")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class ToiletType(models.TextChoices):
    LATRINES = "latrines", _("Latrines")
    CHEMICAL = "chemical", _("Chemical toilets")
    DRY = "dry", _("Dry toilets")
    FLUSH = "flush", _("Flush toilets")


class ElectricityType(models.TextChoices):
    GENERATOR = "generator", _("Generator")
    GRID = "grid", _("Connection to the grid")
    BUILDING = "building", _("Building's installation")


class PoliceAssistanceStatus(models.TextChoices):
    NONE = "none", _("Assistance not requested")
    REQUESTED = "requested", _("Assistance requested")
    GRANTED = "granted", _("Assistance granted")
    REFUSED = "refused", _("Assistance refused")


class InsalubrityOrderType(models.TextChoices):
    """The legal basis of an insalubrity (or danger) order."""

    MUNICIPAL = "municipal", _("Municipal order (general police powers)")
    PREFECTORAL = "prefectoral", _("Prefectoral insalubrity order")
    IMMINENT_DANGER = "imminent_danger", _("Imminent danger order")
    OTHER = "other", _("Other")


class ClosingCause(models.TextChoices):
    RESORPTION = "resorption", _("Progressive resorption")
    COURT_DECISION = "court_decision", _("Court decision")
    PREFECTORAL_ORDER = "prefectoral_order", _("Prefectoral order")
    MUNICIPAL_ORDER = "municipal_order", _("Municipal order")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class SolutionType(models.TextChoices):
    EMERGENCY_SHELTER = "emergency_shelter", _("Emergency shelter")
    INTEGRATION_SHELTER = "integration_shelter", _("Integration shelter")
    HOUSING = "housing", _("Ordinary or adapted housing")
    ASYLUM = "asylum", _("Asylum-seeker scheme")
    LOCAL_INTEGRATION = "local_integration", _("Local integration scheme")
    NO_SOLUTION = "no_solution", _("Social watch / no solution")


#: Site actors' themes are the platform's action topics (health, school, employment, housing,
#: mediation, security, humanitarian, diagnosis, steering, other): one list for the whole platform.
SiteActorTheme = Topic


class LivingConditionStatus(models.TextChoices):
    GOOD = "good", _("Good")
    TO_IMPROVE = "to_improve", _("To improve")
    BAD = "bad", _("Bad")
    UNKNOWN = "unknown", _("Unknown")


class LivingConditionTheme(models.TextChoices):
    WATER = "water", _("Water")
    SANITATION = "sanitation", _("Sanitation")
    ELECTRICITY = "electricity", _("Electricity")
    WASTE = "waste", _("Waste")
    PESTS = "pests", _("Pests")
    FIRE_PREVENTION = "fire_prevention", _("Fire prevention")
