"""Consistency rules of a site (called from `SitePage.clean`).

Two kinds of rules:
- `clear_irrelevant_answers`: a question asked only after a given parent answer is emptied when
  that parent answer no longer asks it (the forms hide it; stale answers must not linger);
- `validate_site`: contradictions are refused, one French message per rule, on the field to fix.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from sitepages.enums import (
    ClosingCause,
    PoliceAssistanceStatus,
    SocialDiagnosisStatus,
    WaterAccessType,
)

AGE_BANDS = ("minors_0_3", "minors_3_6", "minors_6_12", "minors_12_16", "minors_16_18")

WATER_FOLLOW_UPS = (
    "water_is_public",
    "water_is_continuous",
    "water_on_site",
    "water_is_close",
    "water_equal_access",
    "water_stagnant",
)


def _clear(site, *names):
    for name in names:
        field = site._meta.get_field(name)
        value = None if field.null else (field.get_default() if field.has_default() else "")
        setattr(site, name, value)


def clear_irrelevant_answers(site) -> None:
    """Empty the answers whose parent answer makes them irrelevant."""
    if site.water_access_type in ("", WaterAccessType.UNKNOWN):
        _clear(site, "water_access_details", *WATER_FOLLOW_UPS)
    elif site.water_access_type != WaterAccessType.OTHER:
        _clear(site, "water_access_details")
    if site.water_on_site is not False:
        _clear(site, "water_is_close")  # asked only when the water point is not on the site
    if site.working_toilets is not True:
        _clear(site, "toilet_types", "toilets_inside", "toilets_lit_lockable", "hand_washing")
    if site.electricity_access is not True:
        _clear(site, "electricity_types", "electricity_equal_access")
    if site.waste_collection is not True:
        _clear(site, "waste_collection_close", "waste_collection_safe", "waste_collection_regular")
    if site.pests is not True:
        _clear(site, "pests_details")
    if site.social_diagnosis_status not in (
        SocialDiagnosisStatus.PLANNED,
        SocialDiagnosisStatus.DONE,
    ):
        _clear(site, "social_diagnosis_at", "social_diagnosis_by")
    if site.reinstallation is not True:
        _clear(site, "reinstallation_comments")
    if site.justice_procedure is not True:
        _clear(site, "justice_decision")
    if site.justice_decision is not True:
        _clear(site, "justice_decision_at", "justice_court", "justice_appeal")
    if site.police_assistance in ("", PoliceAssistanceStatus.NONE):
        _clear(site, "police_requested_at")
    if site.police_assistance != PoliceAssistanceStatus.GRANTED:
        _clear(site, "police_granted_at")
    if site.eviction_order is not True:
        _clear(site, "eviction_order_at", "eviction_order_authority")
    if not site.insalubrity_order_type:
        _clear(site, "insalubrity_order_at", "insalubrity_order_by")
    if site.closed_at is None:
        _clear(site, "closing_cause", "closing_context", "closed_with_solutions")


def previous_updated_at(site):
    """The `updated_at` of the latest saved state (revision or live row), or None."""
    if site.pk is None:
        return None
    dates = []
    revision = site.get_latest_revision()
    if revision is not None:
        value = revision.content.get("updated_at")
        dates.append(parse_date(value) if isinstance(value, str) else value)
    dates.append(type(site).objects.filter(pk=site.pk).values_list("updated_at", flat=True).first())
    dates = [date for date in dates if date is not None]
    return max(dates) if dates else None


def _exceeds(site, part, whole):
    value, limit = getattr(site, part), getattr(site, whole)
    return value is not None and limit is not None and value > limit


def validate_site(site) -> None:
    """Raise a ValidationError listing every broken rule, keyed by the field to fix."""
    today = timezone.localdate()
    errors: dict[str, list] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    # Dates
    if site.declared_at and site.declared_at > today:
        error("declared_at", _("The declaration date cannot be in the future."))
    if site.installed_at and site.declared_at and site.installed_at > site.declared_at:
        error("installed_at", _("The installation date cannot be after the declaration date."))
    if site.updated_at:
        if site.updated_at > today:
            error("updated_at", _("The update date cannot be in the future."))
        previous = previous_updated_at(site)
        if previous and site.updated_at < previous:
            error(
                "updated_at",
                _("The update date cannot be earlier than the previous update (%(date)s).")
                % {"date": previous.strftime("%d/%m/%Y")},
            )
    if site.last_visited_at and site.last_visited_at > today:
        error("last_visited_at", _("The visit date cannot be in the future."))
    if site.closed_at:
        if site.declared_at and site.closed_at < site.declared_at:
            error("closed_at", _("The closing date cannot be before the declaration date."))
        if site.closed_at > today:
            error("closed_at", _("The closing date cannot be in the future."))

    # Population
    if _exceeds(site, "households", "people"):
        error("households", _("There cannot be more households than people."))
    if _exceeds(site, "minors", "people"):
        error("minors", _("There cannot be more minors than people."))
    if _exceeds(site, "women", "people"):
        error("women", _("There cannot be more women than people."))
    if _exceeds(site, "minor_girls", "minors"):
        error("minor_girls", _("There cannot be more minor girls than minors."))
    if _exceeds(site, "minors_in_school", "minors"):
        error("minors_in_school", _("There cannot be more minors in school than minors."))
    bands = [getattr(site, name) for name in AGE_BANDS if getattr(site, name) is not None]
    if bands and site.minors is not None and sum(bands) > site.minors:
        error("minors", _("The number of minors cannot be below the sum of the age bands."))

    # Social diagnosis
    if site.social_diagnosis_at:
        status = site.social_diagnosis_status
        if status == SocialDiagnosisStatus.PLANNED and site.social_diagnosis_at < today:
            error("social_diagnosis_at", _("A planned social diagnosis has a date to come."))
        if status == SocialDiagnosisStatus.DONE and site.social_diagnosis_at > today:
            error("social_diagnosis_at", _("A social diagnosis already done has a past date."))

    # Living conditions
    if site.water_access_type == WaterAccessType.OTHER and not site.water_access_details.strip():
        error("water_access_details", _("Describe the water access."))

    # Procedures
    if (
        site.police_requested_at
        and site.police_granted_at
        and site.police_granted_at < site.police_requested_at
    ):
        error(
            "police_granted_at",
            _("Police assistance cannot be granted before it was requested."),
        )

    # Closing
    if site.closing_cause == ClosingCause.OTHER and not site.closing_context.strip():
        error("closing_context", _("Describe the context of the closing."))
    solutions = [s for s in site.closing_solutions.all() if not getattr(s, "DELETE", False)]
    if solutions and not site.is_resorbed:
        error(
            "closed_with_solutions",
            _("Solutions can only be given for a site closed with solutions."),
        )
    messages = {
        "people": _("The solutions concern more people (%(total)s) than the site had (%(limit)s)."),
        "households": _(
            "The solutions concern more households (%(total)s) than the site had (%(limit)s)."
        ),
    }
    for field, message in messages.items():
        total = sum(getattr(solution, field) or 0 for solution in solutions)
        limit = getattr(site, field)
        if solutions and limit is not None and total > limit:
            error("closed_with_solutions", message % {"total": total, "limit": limit})

    if errors:
        raise ValidationError(errors)
