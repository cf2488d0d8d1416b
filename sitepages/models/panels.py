"""Wagtail admin panels of a site page, one tab per group of fields (docs/domain.md#sites)."""

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.models import Page
from wagtailgeowidget.app_settings import GEO_WIDGET_ZOOM
from wagtailgeowidget.panels import LeafletPanel
from wagtailgeowidget.widgets import LeafletField

from sitepages.resorption import PHASE_FIELDS


class LocalLeafletField(LeafletField):
    """wagtailgeowidget's Leaflet widget, with Leaflet served by the platform (never a CDN)."""

    @cached_property
    def media(self):
        return forms.Media(
            css={
                "all": (
                    "vendor/leaflet/leaflet.css",
                    "wagtailgeowidget/css/leaflet-field.css",
                )
            },
            js=(
                "vendor/leaflet/leaflet.js",
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
            ),
        )


class LocalLeafletPanel(LeafletPanel):
    """A map for a form-only point field (`SiteAdminForm.location`), Leaflet served locally."""

    def widget_overrides(self):
        return {
            self.field_name: LocalLeafletField(
                address_field=self.address_field,
                zoom_field=self.zoom_field,
                hide_latlng=self.hide_latlng,
                zoom=self.zoom or GEO_WIDGET_ZOOM,
                srid=4326,
                id_prefix="id_",
            )
        }


class RestrictedInlinePanel(InlinePanel):
    """An InlinePanel whose formset the form may have removed for this user (then hidden)."""

    class BoundPanel(InlinePanel.BoundPanel):
        def __init__(self, **kwargs):
            form = kwargs.get("form")
            if form is not None and kwargs["panel"].relation_name not in form.formsets:
                Panel.BoundPanel.__init__(self, **kwargs)
                self.label = self.panel.label
                self.formset = None
                self.children = []
                return
            super().__init__(**kwargs)

        def is_shown(self):
            return getattr(self, "formset", True) is not None and super().is_shown()


IDENTITY_PANELS = [
    FieldPanel("title"),
    FieldPanel("name"),
    MultiFieldPanel(
        [
            FieldPanel("commune"),
            FieldPanel("address"),
            FieldPanel("access_details"),
            LocalLeafletPanel("location", address_field="address", hide_latlng=True),
            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        ],
        heading=_("Location"),
    ),
    FieldPanel("field_type"),
    FieldRowPanel(
        [FieldPanel("installed_at"), FieldPanel("declared_at"), FieldPanel("updated_at")]
    ),
    FieldPanel("last_visited_at"),
    MultiFieldPanel(
        [
            FieldPanel("reinstallation"),
            FieldPanel("reinstallation_comments"),
            FieldPanel("former_sites"),
        ],
        heading=_("Reinstallation"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("resorption_target_year"),
            FieldPanel("resorption_process"),
            *[FieldPanel(name) for name in PHASE_FIELDS],
        ],
        heading=_("Resorption process"),
    ),
    FieldPanel("heatwave"),
]
OWNER_PANELS = [RestrictedInlinePanel("owners", label=_("Owners"))]
POPULATION_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("social_diagnosis_status"),
            FieldPanel("social_diagnosis_at"),
            FieldPanel("social_diagnosis_by"),
        ],
        heading=_("Social diagnosis"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("people"), FieldPanel("households"), FieldPanel("women")]),
            FieldRowPanel([FieldPanel("minors"), FieldPanel("minor_girls")]),
            FieldRowPanel(
                [
                    FieldPanel("minors_0_3"),
                    FieldPanel("minors_3_6"),
                    FieldPanel("minors_6_12"),
                    FieldPanel("minors_12_16"),
                    FieldPanel("minors_16_18"),
                ]
            ),
            FieldPanel("minors_in_school"),
            FieldPanel("population_updated_at"),
            FieldPanel("origins"),
        ],
        heading=_("Inhabitants"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel(
                [
                    FieldPanel("caravans"),
                    FieldPanel("huts"),
                    FieldPanel("tents"),
                    FieldPanel("cars"),
                    FieldPanel("mattresses"),
                ]
            )
        ],
        heading=_("Housing"),
    ),
]
LIVING_CONDITION_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("water_access_type"),
            FieldPanel("water_access_details"),
            FieldPanel("water_is_public"),
            FieldPanel("water_is_continuous"),
            FieldPanel("water_on_site"),
            FieldPanel("water_is_close"),
            FieldPanel("water_equal_access"),
            FieldPanel("water_stagnant"),
            FieldPanel("water_comments"),
        ],
        heading=_("Water"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("open_air_defecation"),
            FieldPanel("working_toilets"),
            FieldPanel("toilet_types"),
            FieldPanel("toilets_inside"),
            FieldPanel("toilets_lit_lockable"),
            FieldPanel("hand_washing"),
        ],
        heading=_("Sanitation"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("electricity_access"),
            FieldPanel("electricity_types"),
            FieldPanel("electricity_equal_access"),
        ],
        heading=_("Electricity"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("waste_collection"),
            FieldPanel("waste_collection_close"),
            FieldPanel("waste_collection_safe"),
            FieldPanel("waste_collection_regular"),
            FieldPanel("waste_piling"),
            FieldPanel("bulky_waste_piling"),
        ],
        heading=_("Waste"),
    ),
    MultiFieldPanel([FieldPanel("pests"), FieldPanel("pests_details")], heading=_("Pests")),
    FieldPanel("fire_prevention_diagnosis", heading=_("Fire prevention")),
]
JUSTICE_PANELS = [
    FieldPanel("owner_complaint"),
    MultiFieldPanel(
        [
            FieldPanel("justice_procedure"),
            FieldPanel("justice_decision"),
            FieldPanel("justice_decision_at"),
            FieldPanel("justice_court"),
            FieldPanel("justice_appeal"),
        ],
        heading=_("Justice procedure"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("police_assistance"),
            FieldPanel("police_requested_at"),
            FieldPanel("police_granted_at"),
            FieldPanel("bailiff"),
        ],
        heading=_("Police assistance"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("eviction_order"),
            FieldPanel("eviction_order_at"),
            FieldPanel("eviction_order_authority"),
        ],
        heading=_("Administrative eviction order"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("insalubrity_order_type"),
            FieldPanel("insalubrity_order_at"),
            FieldPanel("insalubrity_order_by"),
        ],
        heading=_("Insalubrity order"),
    ),
]
CLOSING_PANELS = [
    FieldPanel("closed_at"),
    FieldPanel("closing_cause"),
    FieldPanel("closing_context"),
    FieldPanel("closed_with_solutions"),
    InlinePanel("closing_solutions", label=_("Solutions")),
]
ACTOR_PANELS = [InlinePanel("actors", label=_("Site actors"))]

SITE_EDIT_HANDLER = TabbedInterface(
    [
        ObjectList(IDENTITY_PANELS, heading=_("Site")),
        ObjectList(POPULATION_PANELS, heading=_("Inhabitants")),
        ObjectList(LIVING_CONDITION_PANELS, heading=_("Living conditions")),
        ObjectList(OWNER_PANELS, heading=_("Owners")),
        ObjectList(JUSTICE_PANELS, heading=_("Procedures")),
        ObjectList(CLOSING_PANELS, heading=_("Closing")),
        ObjectList(ACTOR_PANELS, heading=_("Actors")),
        ObjectList(Page.promote_panels, heading=_("Publication")),
    ]
)
