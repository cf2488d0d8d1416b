"""Slum sites: one Wagtail page per site, under one index page per department.

Coordinates are two plain `DecimalField`s (WGS 84, six decimals ≈ 10 cm): simple to validate,
query and export. The admin also edits them on a map (wagtailgeowidget's Leaflet widget, Leaflet
served locally) through `location`, the `SRID=4326;POINT(lng lat)` string it understands
(`admin_form.SiteAdminForm`).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.url_routing import RouteResult

from directory import perms
from directory.permission_matrix import Feature
from sitepages import completion, living_conditions, validation
from sitepages.enums import (
    ClosingCause,
    ElectricityType,
    FieldType,
    InsalubrityOrderType,
    LivingConditionStatus,
    Origin,
    PoliceAssistanceStatus,
    SocialDiagnosisStatus,
    ToiletType,
    WaterAccessType,
)
from sitepages.fields import ChoiceArrayField
from sitepages.models import rules
from sitepages.models.admin_form import SiteAdminForm
from sitepages.models.panels import SITE_EDIT_HANDLER


def home_page() -> Page:
    """The page the departments' site indexes hang under: the default Wagtail site's root (the
    platform's home page, created by the public side's migrations)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    return Page.objects.filter(depth=2).order_by("path").first()


class SiteIndexPage(Page):
    """The sites of one department (the parent of its site pages)."""

    department = models.OneToOneField(
        "directory.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="site_index",
    )

    content_panels = [*Page.content_panels, FieldPanel("department")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["sitepages.SitePage"]

    def route(self, request, path_components):
        """Anonymous visitors are sent to the login page from any URL below the index, whether a
        site lives there or not: the answer never tells which sites exist."""
        if path_components and not request.user.is_authenticated:
            return RouteResult(self)
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        """Never public: the department's sites, for the users who may list them."""
        from sitepages import views  # the views import the models

        return views.serve_index(request, self)

    class Meta:
        verbose_name = _("department's sites")
        verbose_name_plural = _("departments' sites")


class SitePageQuerySet(PageQuerySet):
    def visible_to(self, user):
        """The sites `user` may list (their intervention areas, or everywhere)."""
        return self.filter(perms.scope_q(user, Feature.SITE_LIST, "commune"))

    def open(self):
        return self.filter(closed_at__isnull=True)

    def closed(self):
        return self.filter(closed_at__isnull=False)

    def resorbed(self):
        return self.filter(closed_at__isnull=False, closed_with_solutions=True)

    # The site rules in SQL (`sitepages.models.rules`).

    def in_territory(self, territory):
        """The sites inside a region, department, EPCI or commune."""
        return self.filter(rules.territory_q(territory))

    def complete_for(self, user):
        """The sites complete for `user` (`sitepages.completion`; owners count where they may
        see them)."""
        return self.filter(rules.complete_q(user))

    def with_last_update(self):
        """`last_update`: the latest of declared, updated and visited with nothing changed."""
        return self.annotate(last_update=rules.last_update())

    def stale(self, days: int = rules.STALE_AFTER_DAYS):
        """The sites whose last update is older than `days` days."""
        return self.alias(stale_update=rules.last_update()).filter(
            stale_update__lt=rules.stale_limit(days)
        )

    def with_condition_statuses(self, themes):
        """`status_<theme>` aliases (for filtering) of the living-condition statuses."""
        return self.alias(**{f"status_{theme}": rules.condition_status(theme) for theme in themes})


SitePageManager = PageManager.from_queryset(SitePageQuerySet)


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


def _answer(label):
    """A yes / no / unknown answer: True, False or None."""
    return models.BooleanField(label, null=True, blank=True)


def _date(label):
    return models.DateField(label, null=True, blank=True)


class SitePage(Page):
    """A slum or large squat (docs/domain.md#sites). Never public: see `serve`."""

    # --- Identity and location ------------------------------------------------------------------
    name = models.CharField(_("name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    access_details = models.TextField(_("access details"), blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    commune = models.ForeignKey(
        "directory.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="sites",
    )
    field_type = models.CharField(
        _("field type"), max_length=20, choices=FieldType.choices, default=FieldType.UNKNOWN
    )
    declared_at = models.DateField(_("declared on"))
    installed_at = _date(_("installed on"))
    updated_at = models.DateField(
        _("information updated on"),
        null=True,
        blank=True,
        help_text=_("May be earlier than today, never earlier than the previous update."),
    )
    last_visited_at = _date(_("visited on, nothing changed"))
    reinstallation = _answer(_("reinstallation"))
    reinstallation_comments = models.TextField(_("reinstallation comments"), blank=True)
    former_sites = ParentalManyToManyField(
        "self", verbose_name=_("former sites"), symmetrical=False, blank=True
    )

    # --- Social diagnosis -----------------------------------------------------------------------
    social_diagnosis_status = models.CharField(
        _("social diagnosis"), max_length=20, choices=SocialDiagnosisStatus.choices, blank=True
    )
    social_diagnosis_at = _date(_("social diagnosis date"))
    social_diagnosis_by = models.CharField(_("social diagnosis by"), max_length=255, blank=True)

    # --- Population (no nominative data, no ethnic data) ----------------------------------------
    people = _count(_("people"))
    women = _count(_("women"))
    households = _count(_("households"))
    minors = _count(_("minors"))
    minor_girls = _count(_("minor girls"))
    minors_0_3 = _count(_("minors aged 0 to 3"))
    minors_3_6 = _count(_("minors aged 3 to 6"))
    minors_6_12 = _count(_("minors aged 6 to 12"))
    minors_12_16 = _count(_("minors aged 12 to 16"))
    minors_16_18 = _count(_("minors aged 16 to 18"))
    minors_in_school = _count(_("minors in school"))
    population_updated_at = _date(_("population updated on"))
    caravans = _count(_("caravans"))
    huts = _count(_("huts"))
    tents = _count(_("tents"))
    cars = _count(_("cars used to sleep"))
    mattresses = _count(_("mattresses"))
    origins = ChoiceArrayField(
        models.CharField(max_length=20, choices=Origin.choices),
        verbose_name=_("origins"),
        default=list,
        blank=True,
    )

    # --- Living conditions: water ---------------------------------------------------------------
    water_access_type = models.CharField(
        _("water access"),
        max_length=20,
        choices=WaterAccessType.choices,
        default=WaterAccessType.UNKNOWN,
    )
    water_access_details = models.CharField(_("other water access"), max_length=255, blank=True)
    water_is_public = _answer(_("public water access"))
    water_is_continuous = _answer(_("continuous water access"))
    water_on_site = _answer(_("water access on the site"))
    water_is_close = _answer(_("water access less than 200 m away"))
    water_equal_access = _answer(_("equal water access for all inhabitants"))
    water_stagnant = _answer(_("stagnant water around the access point"))
    water_comments = models.TextField(_("water comments"), blank=True)

    # --- Living conditions: sanitation ----------------------------------------------------------
    open_air_defecation = _answer(_("open-air defecation"))
    working_toilets = _answer(_("working toilets"))
    toilet_types = ChoiceArrayField(
        models.CharField(max_length=20, choices=ToiletType.choices),
        verbose_name=_("toilet types"),
        default=list,
        blank=True,
    )
    toilets_inside = _answer(_("toilets inside the site"))
    toilets_lit_lockable = _answer(_("toilets lit and lockable"))
    hand_washing = _answer(_("hand washing point near the toilets"))

    # --- Living conditions: electricity ---------------------------------------------------------
    electricity_access = _answer(_("electricity access"))
    electricity_types = ChoiceArrayField(
        models.CharField(max_length=20, choices=ElectricityType.choices),
        verbose_name=_("electricity sources"),
        default=list,
        blank=True,
    )
    electricity_equal_access = _answer(_("equal electricity access for all inhabitants"))

    # --- Living conditions: waste ---------------------------------------------------------------
    waste_collection = _answer(_("waste collection"))
    waste_collection_close = _answer(_("collection point close to the site"))
    waste_collection_safe = _answer(_("collection point safely reachable"))
    waste_collection_regular = _answer(_("regular collection"))
    waste_piling = _answer(_("waste piling up on the site"))
    bulky_waste_piling = _answer(_("bulky waste piling up on the site"))

    # --- Living conditions: pests and fire ------------------------------------------------------
    pests = _answer(_("pests (rats, insects…)"))
    pests_details = models.TextField(_("pest details"), blank=True)
    fire_prevention_diagnosis = _answer(_("fire prevention diagnosis done"))

    # --- Justice and procedures (sensitive: site.access_justice) --------------------------------
    owner_complaint = _answer(_("owner complaint"))
    justice_procedure = _answer(_("justice procedure"))
    justice_decision = _answer(_("decision rendered"))
    justice_decision_at = _date(_("decision date"))
    justice_court = models.CharField(_("court"), max_length=255, blank=True)
    justice_appeal = _answer(_("appeal"))
    police_assistance = models.CharField(
        _("police assistance"),
        max_length=20,
        choices=PoliceAssistanceStatus.choices,
        blank=True,
    )
    police_requested_at = _date(_("police assistance requested on"))
    police_granted_at = _date(_("police assistance granted on"))
    bailiff = models.CharField(_("bailiff"), max_length=255, blank=True)
    eviction_order = _answer(_("administrative eviction order"))
    eviction_order_at = _date(_("eviction order date"))
    eviction_order_authority = models.CharField(
        _("eviction order authority"), max_length=255, blank=True
    )
    insalubrity_order_type = models.CharField(
        _("insalubrity order"), max_length=20, choices=InsalubrityOrderType.choices, blank=True
    )
    insalubrity_order_at = _date(_("insalubrity order date"))
    insalubrity_order_by = models.CharField(_("insalubrity order by"), max_length=255, blank=True)

    # --- Closing --------------------------------------------------------------------------------
    closed_at = _date(_("closed on"))
    closing_cause = models.CharField(
        _("closing cause"), max_length=20, choices=ClosingCause.choices, blank=True
    )
    closing_context = models.TextField(_("closing context"), blank=True)
    closed_with_solutions = _answer(_("closed with solutions"))

    # --- Follow-up ------------------------------------------------------------------------------
    resorption_target_year = models.PositiveSmallIntegerField(
        _("resorption target year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2018), MaxValueValidator(2100)],
    )
    resorption_process = models.BooleanField(
        _("engaged in a resorption process"),
        default=False,
        help_text=_("Its preparatory phases are then followed below."),
    )
    technical_diagnosis_done = models.BooleanField(_("technical diagnosis done"), default=False)
    technical_diagnosis_at = _date(_("technical diagnosis date"))
    social_assessment_done = models.BooleanField(_("social assessment done"), default=False)
    social_assessment_at = _date(_("social assessment date"))
    political_validation_done = models.BooleanField(_("political validation done"), default=False)
    political_validation_at = _date(_("political validation date"))
    heatwave = models.BooleanField(_("heatwave alert"), default=False)

    objects = SitePageManager()

    parent_page_types = ["sitepages.SiteIndexPage"]
    subpage_types = []

    edit_handler = SITE_EDIT_HANDLER
    base_form_class = SiteAdminForm

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def serve(self, request, *args, **kwargs):
        """Never public: login required, then `Feature.SITE_READ` on the site (else 404)."""
        from sitepages import views  # the views import the models

        return views.serve_site(request, self)

    # --- Display --------------------------------------------------------------------------------

    def default_title(self) -> str:
        place = self.address or (self.commune.name if self.commune_id else "")
        if self.name and place:
            return f"{self.name} — {place}"
        return self.name or place or str(_("Site"))

    @property
    def location(self) -> str:
        """The coordinates as wagtailgeowidget's point string, or "" when unknown."""
        if self.latitude is None or self.longitude is None:
            return ""
        return f"SRID=4326;POINT({self.longitude} {self.latitude})"

    # --- Computed state -------------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_resorbed(self) -> bool:
        """Closed with solutions for its inhabitants (docs/domain.md#closing-and-resorption)."""
        return self.is_closed and self.closed_with_solutions is True

    @property
    def living_conditions(self) -> dict[str, LivingConditionStatus]:
        """Theme → status; see `sitepages.living_conditions` for the rules."""
        return living_conditions.statuses(self)

    @property
    def completion(self) -> completion.Completion:
        return completion.completion(self)

    # --- Validation -----------------------------------------------------------------------------

    def full_clean(self, *args, **kwargs):
        if not self.title:
            self.title = self.default_title()
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        validation.clear_irrelevant_answers(self)
        validation.validate_site(self)
