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

from directory.bounds import contains, department_bounds
from sitepages import resorption
from sitepages.enums import (
    ClosingCause,
    InsalubrityOrderType,
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


KNOWN_WATER_ACCESS = frozenset(WaterAccessType.values) - {WaterAccessType.UNKNOWN}

#: Conditional questions: question -> (parent question, the parent's answers that ask it).
#: Parents come before their questions (a question whose parent is itself irrelevant is
#: irrelevant too). The forms read this table to show and hide questions; `clear_irrelevant_answers`
#: empties the answers of the questions not asked.
CONDITIONS: dict[str, tuple[str, frozenset]] = {
    "reinstallation_comments": ("reinstallation", frozenset({True})),
    "social_diagnosis_at": (
        "social_diagnosis_status",
        frozenset({SocialDiagnosisStatus.PLANNED, SocialDiagnosisStatus.DONE}),
    ),
    "social_diagnosis_by": (
        "social_diagnosis_status",
        frozenset({SocialDiagnosisStatus.PLANNED, SocialDiagnosisStatus.DONE}),
    ),
    # the phases of the resorption process, asked only while the site is engaged in one
    **dict.fromkeys(resorption.PHASE_FIELDS, ("resorption_process", frozenset({True}))),
    "water_access_details": ("water_access_type", frozenset({WaterAccessType.OTHER})),
    **dict.fromkeys(WATER_FOLLOW_UPS, ("water_access_type", KNOWN_WATER_ACCESS)),
    # asked only when the water point is not on the site
    "water_is_close": ("water_on_site", frozenset({False})),
    **{
        name: ("working_toilets", frozenset({True}))
        for name in ("toilet_types", "toilets_inside", "toilets_lit_lockable", "hand_washing")
    },
    **{
        name: ("electricity_access", frozenset({True}))
        for name in ("electricity_types", "electricity_equal_access")
    },
    **{
        name: ("waste_collection", frozenset({True}))
        for name in ("waste_collection_close", "waste_collection_safe", "waste_collection_regular")
    },
    "pests_details": ("pests", frozenset({True})),
    "justice_decision": ("justice_procedure", frozenset({True})),
    **{
        name: ("justice_decision", frozenset({True}))
        for name in ("justice_decision_at", "justice_court", "justice_appeal")
    },
    "police_requested_at": (
        "police_assistance",
        frozenset(
            {
                PoliceAssistanceStatus.REQUESTED,
                PoliceAssistanceStatus.GRANTED,
                PoliceAssistanceStatus.REFUSED,
            }
        ),
    ),
    "police_granted_at": ("police_assistance", frozenset({PoliceAssistanceStatus.GRANTED})),
    **{
        name: ("eviction_order", frozenset({True}))
        for name in ("eviction_order_at", "eviction_order_authority")
    },
    **{
        name: ("insalubrity_order_type", frozenset(InsalubrityOrderType.values))
        for name in ("insalubrity_order_at", "insalubrity_order_by")
    },
}
#: Answered only for a closed site (its parent is `closed_at`, any date).
CLOSING_ANSWERS = ("closing_cause", "closing_context", "closed_with_solutions")


def is_relevant(name: str, answers) -> bool:
    """Is question `name` asked, given `answers` (a mapping name -> value; missing = not asked)?"""
    if name in CLOSING_ANSWERS:
        return answers.get("closed_at") is not None
    condition = CONDITIONS.get(name)
    if condition is None:
        return True
    parent, values = condition
    return is_relevant(parent, answers) and answers.get(parent) in values


def empty_value(site, name):
    field = site._meta.get_field(name)
    return None if field.null else (field.get_default() if field.has_default() else "")


def _clear(site, *names):
    for name in names:
        setattr(site, name, empty_value(site, name))


class _Answers(dict):
    """A site's answers, read lazily."""

    def __init__(self, site):
        super().__init__()
        self.site = site

    def __missing__(self, name):
        return getattr(self.site, name)

    def get(self, name, default=None):
        return self[name]


def clear_irrelevant_answers(site) -> None:
    """Empty the answers whose parent answer makes them irrelevant."""
    answers = _Answers(site)
    for name in (*CONDITIONS, *CLOSING_ANSWERS):  # parents first: cleared answers cascade
        if not is_relevant(name, answers):
            _clear(site, name)


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


def _check_coordinates(site, error) -> None:
    """Coordinates lie in the commune's department; swapped ones are named as such."""
    latitude, longitude = site.latitude, site.longitude
    if latitude is None or longitude is None or not site.commune_id:
        return
    department = site.commune.department
    bounds = department_bounds(department.code)
    if bounds is None or contains(bounds, latitude, longitude):
        return
    names = {
        "department": f"{department.name} ({department.code})",
        "latitude": latitude,
        "longitude": longitude,
    }
    if contains(bounds, longitude, latitude):
        error(
            "latitude",
            _(
                "These coordinates are outside the department %(department)s: the latitude and "
                "the longitude seem swapped (latitude %(longitude)s, longitude %(latitude)s?)."
            )
            % names,
        )
    else:
        error(
            "latitude",
            _(
                "These coordinates are outside the department %(department)s. Check them: "
                "decimal degrees, latitude first (for example 48.8566 and 2.3522 in Paris)."
            )
            % names,
        )


def validate_site(site) -> None:
    """Raise a ValidationError listing every broken rule, keyed by the field to fix."""
    today = timezone.localdate()
    errors: dict[str, list] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    _check_coordinates(site, error)

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

    resorption.validate(site, error, today)

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
