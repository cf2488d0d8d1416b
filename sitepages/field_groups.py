"""The site's fields by group, in the form's order: one list for the site page, the export and
the history (the sensitive groups decide what a reader without the right never gets)."""

from sitepages.enums import LivingConditionTheme
from sitepages.resorption import RESORPTION_FIELDS

#: Where the site is and since when (the form's first section).
IDENTITY_FIELDS = [
    "name",
    "commune",
    "address",
    "access_details",
    "latitude",
    "longitude",
    "field_type",
    "declared_at",
    "installed_at",
    "updated_at",
    "last_visited_at",
    "reinstallation",
    "reinstallation_comments",
    "former_sites",
]

#: The questions of each living-condition theme, in the form's order.
THEME_FIELDS = {
    LivingConditionTheme.WATER: [
        "water_access_type",
        "water_access_details",
        "water_is_public",
        "water_is_continuous",
        "water_on_site",
        "water_is_close",
        "water_equal_access",
        "water_stagnant",
        "water_comments",
    ],
    LivingConditionTheme.SANITATION: [
        "open_air_defecation",
        "working_toilets",
        "toilet_types",
        "toilets_inside",
        "toilets_lit_lockable",
        "hand_washing",
    ],
    LivingConditionTheme.ELECTRICITY: [
        "electricity_access",
        "electricity_types",
        "electricity_equal_access",
    ],
    LivingConditionTheme.WASTE: [
        "waste_collection",
        "waste_collection_close",
        "waste_collection_safe",
        "waste_collection_regular",
        "waste_piling",
        "bulky_waste_piling",
    ],
    LivingConditionTheme.PESTS: ["pests", "pests_details"],
    LivingConditionTheme.FIRE_PREVENTION: ["fire_prevention_diagnosis"],
}

POPULATION_FIELDS = [
    "people",
    "women",
    "households",
    "minors",
    "minor_girls",
    "minors_0_3",
    "minors_3_6",
    "minors_6_12",
    "minors_12_16",
    "minors_16_18",
    "minors_in_school",
]
HOUSING_FIELDS = ["caravans", "huts", "tents", "cars", "mattresses"]

JUSTICE_FIELDS = [
    "owner_complaint",
    "justice_procedure",
    "justice_decision",
    "justice_decision_at",
    "justice_court",
    "justice_appeal",
    "police_assistance",
    "police_requested_at",
    "police_granted_at",
    "bailiff",
    "eviction_order",
    "eviction_order_at",
    "eviction_order_authority",
    "insalubrity_order_type",
    "insalubrity_order_at",
    "insalubrity_order_by",
]

SOCIAL_DIAGNOSIS_FIELDS = ["social_diagnosis_status", "social_diagnosis_at", "social_diagnosis_by"]

#: Every living-condition question, theme after theme.
CONDITION_FIELDS = [name for names in THEME_FIELDS.values() for name in names]

CLOSING_FIELDS = ["closed_at", "closing_cause", "closing_context", "closed_with_solutions"]

#: Every field of the site itself (child rows aside: owners, closing solutions, actors), in the
#: form's order — the order of the history.
SITE_FIELDS = (
    *IDENTITY_FIELDS,
    *SOCIAL_DIAGNOSIS_FIELDS,
    *POPULATION_FIELDS,
    "population_updated_at",
    *HOUSING_FIELDS,
    "origins",
    *CONDITION_FIELDS,
    *JUSTICE_FIELDS,
    *CLOSING_FIELDS,
    *RESORPTION_FIELDS,
    "heatwave",
)
