"""The yearly indicators of an action: the counts, their groups and the rules between them.

Every sub-count is at most its parent (women ≤ people, schooling sum ≤ minors…). Each rule has
its own French message and names the year, so that a form of several years says which one is
wrong (`check`, used by `ActionIndicators.clean`).
"""

from django.utils.translation import gettext_lazy as _

#: (group title, [field names]) in the order of the form and of the detail table.
GROUPS = [
    (_("People"), ["people", "households", "women", "minors"]),
    (_("Health"), ["health_coverage", "health_followed"]),
    (_("Employment"), ["employed", "in_training"]),
    (
        _("Housing"),
        ["sheltered_people", "sheltered_households", "housed_people", "housed_households"],
    ),
    (
        _("Schooling"),
        [
            "school_nursery",
            "school_primary",
            "school_secondary",
            "school_high",
            "out_of_school",
        ],
    ),
]
FIELDS = [name for _title, names in GROUPS for name in names]
SCHOOL_FIELDS = ["school_nursery", "school_primary", "school_secondary", "school_high"]

#: (field carrying the error, parts summed, parent, message). A rule is checked only when the
#: parent and at least one part are filled in.
RULES = [
    ("women", ["women"], "people", _("%(year)s: there cannot be more women than people.")),
    ("minors", ["minors"], "people", _("%(year)s: there cannot be more minors than people.")),
    (
        "households",
        ["households"],
        "people",
        _("%(year)s: there cannot be more households than people."),
    ),
    (
        "health_coverage",
        ["health_coverage"],
        "people",
        _("%(year)s: there cannot be more people with health coverage than people."),
    ),
    (
        "health_followed",
        ["health_followed"],
        "people",
        _("%(year)s: there cannot be more people followed for their health than people."),
    ),
    (
        "employed",
        ["employed"],
        "people",
        _("%(year)s: there cannot be more people in employment than people."),
    ),
    (
        "in_training",
        ["in_training"],
        "people",
        _("%(year)s: there cannot be more people in training than people."),
    ),
    (
        "sheltered_people",
        ["sheltered_people"],
        "people",
        _("%(year)s: there cannot be more people sheltered than people."),
    ),
    (
        "sheltered_households",
        ["sheltered_households"],
        "households",
        _("%(year)s: there cannot be more households sheltered than households."),
    ),
    (
        "sheltered_households",
        ["sheltered_households"],
        "sheltered_people",
        _("%(year)s: there cannot be more households sheltered than people sheltered."),
    ),
    (
        "housed_people",
        ["housed_people"],
        "people",
        _("%(year)s: there cannot be more people housed than people."),
    ),
    (
        "housed_households",
        ["housed_households"],
        "households",
        _("%(year)s: there cannot be more households housed than households."),
    ),
    (
        "housed_households",
        ["housed_households"],
        "housed_people",
        _("%(year)s: there cannot be more households housed than people housed."),
    ),
    (
        "school_nursery",
        SCHOOL_FIELDS,
        "minors",
        _("%(year)s: there cannot be more minors in school than minors."),
    ),
    (
        "out_of_school",
        ["out_of_school"],
        "minors",
        _("%(year)s: there cannot be more minors out of school than minors."),
    ),
    (
        "out_of_school",
        [*SCHOOL_FIELDS, "out_of_school"],
        "minors",
        _("%(year)s: minors in school and out of school together cannot be more than the minors."),
    ),
]


def check(values: dict, year) -> dict[str, list[str]]:
    """{field: [messages]} for the rules `values` break (missing counts are not checked)."""
    errors: dict[str, list[str]] = {}
    broken: list[tuple[str, set]] = []
    for field, parts, parent, message in RULES:
        parent_value = values.get(parent)
        known = [values[part] for part in parts if values.get(part) is not None]
        if parent_value is None or not known or sum(known) <= parent_value:
            continue
        # A sum whose part already broke the same limit says nothing more: one message.
        if any(other == parent and other_parts <= set(parts) for other, other_parts in broken):
            continue
        broken.append((parent, set(parts)))
        errors.setdefault(field, []).append(message % {"year": year})
    return errors
