"""Demo sites: one index page per demo department and about thirty FICTITIOUS sites.

Names, addresses and owners are invented; coordinates are approximate points inside real
communes. Dates are relative to today so that every site stays valid over time. Idempotent: a
site is looked up by its slug under its department's index page.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from directory.models import Commune, Department
from sitepages.enums import (
    ClosingCause,
    ElectricityType,
    FieldType,
    InsalubrityOrderType,
    Origin,
    OwnerType,
    PoliceAssistanceStatus,
    SocialDiagnosisStatus,
    SolutionType,
    ToiletType,
    WaterAccessType,
)
from sitepages.models import ClosingSolution, SiteIndexPage, SiteOwner, SitePage, home_page

DEMO_DEPARTMENTS = ["69", "59", "93", "13", "44"]

# Approximate centre (latitude, longitude) of the communes used by the demo.
COMMUNE_CENTRES = {
    "69266": (45.7700, 4.8900),  # Villeurbanne
    "69123": (45.7580, 4.8320),  # Lyon
    "69259": (45.7000, 4.8850),  # Vénissieux
    "59350": (50.6300, 3.0600),  # Lille
    "59512": (50.6900, 3.1750),  # Roubaix
    "59599": (50.7220, 3.1600),  # Tourcoing
    "93066": (48.9350, 2.3550),  # Saint-Denis
    "93008": (48.9080, 2.4400),  # Bobigny
    "13055": (43.3300, 5.3900),  # Marseille (northern districts)
    "44109": (47.2200, -1.5500),  # Nantes
    "44162": (47.2150, -1.6450),  # Saint-Herblain
}

# Living-condition profiles: field values giving mostly the named status on every theme.
CONDITIONS = {
    "good": {
        "water_access_type": WaterAccessType.NETWORK_TAP,
        "water_is_public": True,
        "water_is_continuous": True,
        "water_on_site": True,
        "water_equal_access": True,
        "water_stagnant": False,
        "open_air_defecation": False,
        "working_toilets": True,
        "toilet_types": [ToiletType.FLUSH],
        "toilets_inside": True,
        "toilets_lit_lockable": True,
        "hand_washing": True,
        "electricity_access": True,
        "electricity_types": [ElectricityType.GRID],
        "electricity_equal_access": True,
        "waste_collection": True,
        "waste_collection_close": True,
        "waste_collection_safe": True,
        "waste_collection_regular": True,
        "waste_piling": False,
        "bulky_waste_piling": False,
        "pests": False,
        "fire_prevention_diagnosis": True,
    },
    "to_improve": {
        "water_access_type": WaterAccessType.PUBLIC_FOUNTAIN,
        "water_is_public": True,
        "water_is_continuous": False,
        "water_on_site": False,
        "water_is_close": True,
        "water_equal_access": True,
        "water_stagnant": True,
        "open_air_defecation": False,
        "working_toilets": True,
        "toilet_types": [ToiletType.CHEMICAL],
        "toilets_inside": True,
        "toilets_lit_lockable": False,
        "hand_washing": False,
        "electricity_access": True,
        "electricity_types": [ElectricityType.GENERATOR],
        "electricity_equal_access": False,
        "waste_collection": True,
        "waste_collection_close": True,
        "waste_collection_safe": True,
        "waste_collection_regular": False,
        "waste_piling": True,
        "bulky_waste_piling": False,
        "pests": None,
        "fire_prevention_diagnosis": None,
    },
    "bad": {
        "water_access_type": WaterAccessType.FIRE_HYDRANT,
        "water_is_public": True,
        "water_is_continuous": False,
        "water_on_site": False,
        "water_is_close": False,
        "water_equal_access": False,
        "water_stagnant": True,
        "open_air_defecation": True,
        "working_toilets": False,
        "electricity_access": False,
        "waste_collection": False,
        "waste_piling": True,
        "bulky_waste_piling": True,
        "pests": True,
        "pests_details": "Rats signalés près des habitations.",
        "fire_prevention_diagnosis": False,
    },
    "unknown": {},
}

JUSTICE = {
    "owner_complaint": True,
    "justice_procedure": True,
    "justice_decision": True,
    "justice_court": "Tribunal judiciaire (démonstration)",
    "justice_appeal": False,
    "police_assistance": PoliceAssistanceStatus.REQUESTED,
    "bailiff": "Étude de commissaire de justice fictive",
}

# (name, commune code, address, field type, living conditions, people, extra fields)
# "status" in the extra fields: "closed" or "resorbed" (closed with solutions); open otherwise.
DEMO_SITES = [
    # Rhône
    ("Terrain rue des Peupliers", "69266", "12 rue des Peupliers", "land", "bad", 45,
     {"owners": [(OwnerType.PUBLIC, "")], "heatwave": True, "justice": True, "revisions": 2}),
    ("Squat de l’ancienne imprimerie", "69266", "8 impasse des Typographes", "building",
     "to_improve", 28, {"owners": [(OwnerType.PRIVATE, "Propriétaire privé A")]}),
    ("Campement du chemin des Saules", "69123", "chemin des Saules", "land", "unknown", None, {}),
    ("Terrain du quai des Mariniers", "69123", "quai des Mariniers", "land", "bad", 60,
     {"status": "resorbed", "owners": [(OwnerType.STATE, "")]}),
    ("Bâtiment de l’avenue des Tilleuls", "69123", "41 avenue des Tilleuls", "building", "good",
     18, {"revisions": 1}),
    ("Terrain de la rue des Glycines", "69259", "rue des Glycines", "land", "to_improve", 75,
     {"heatwave": True, "owners": [(OwnerType.PUBLIC, "")], "justice": True}),
    ("Friche du boulevard des Acacias", "69259", "boulevard des Acacias", "land", "bad", 30,
     {"status": "closed", "cause": ClosingCause.COURT_DECISION}),
    # Nord
    ("Terrain de la rue des Lilas", "59350", "rue des Lilas", "land", "to_improve", 52,
     {"owners": [(OwnerType.PUBLIC, "")], "revisions": 1}),
    ("Squat de l’entrepôt des Marronniers", "59350", "17 rue des Marronniers", "building", "bad",
     35, {"owners": [(OwnerType.PRIVATE, "Propriétaire privé B")], "justice": True}),
    ("Campement du canal", "59350", "berge du canal, allée des Joncs", "land", "bad", 22,
     {"status": "closed", "cause": ClosingCause.PREFECTORAL_ORDER}),
    ("Terrain de la rue des Bouleaux", "59512", "rue des Bouleaux", "land", "unknown", 40, {}),
    ("Ancienne filature des Charmes", "59512", "3 rue des Charmes", "building", "to_improve",
     66, {"status": "resorbed", "owners": [(OwnerType.PRIVATE, "Propriétaire privé C")]}),
    ("Terrain du chemin des Aulnes", "59599", "chemin des Aulnes", "land", "good", 14,
     {"heatwave": True}),
    ("Délaissé de la rue des Frênes", "59599", "rue des Frênes", "unknown", "unknown", None,
     {"status": "closed", "cause": ClosingCause.UNKNOWN}),
    # Seine-Saint-Denis
    ("Terrain de l’allée des Cèdres", "93066", "allée des Cèdres", "land", "bad", 120,
     {"owners": [(OwnerType.STATE, ""), (OwnerType.PUBLIC, "")], "justice": True,
      "heatwave": True, "revisions": 2}),
    ("Squat de la rue des Hêtres", "93066", "24 rue des Hêtres", "building", "to_improve", 40,
     {"owners": [(OwnerType.PRIVATE, "Propriétaire privé D")]}),
    ("Campement du pont des Ormes", "93066", "sous le pont des Ormes", "land", "bad", 25,
     {"status": "resorbed"}),
    ("Terrain de la rue des Mimosas", "93008", "rue des Mimosas", "land", "to_improve", 85,
     {"owners": [(OwnerType.PUBLIC, "")]}),
    ("Friche de l’avenue des Platanes", "93008", "avenue des Platanes", "land", "unknown", 30,
     {"status": "closed", "cause": ClosingCause.OTHER}),
    ("Bâtiment du passage des Iris", "93008", "5 passage des Iris", "building", "good", 12, {}),
    # Bouches-du-Rhône
    ("Terrain du chemin des Oliviers", "13055", "chemin des Oliviers", "land", "bad", 90,
     {"heatwave": True, "owners": [(OwnerType.PUBLIC, "")], "justice": True}),
    ("Squat de la traverse des Pins", "13055", "11 traverse des Pins", "building", "to_improve",
     33, {"owners": [(OwnerType.PRIVATE, "Propriétaire privé E")], "heatwave": True}),
    ("Campement de la rue des Figuiers", "13055", "rue des Figuiers", "land", "bad", 48,
     {"status": "resorbed", "owners": [(OwnerType.STATE, "")]}),
    ("Terrain de l’impasse des Lauriers", "13055", "impasse des Lauriers", "land", "unknown",
     None, {}),
    ("Hangar du boulevard des Cyprès", "13055", "boulevard des Cyprès", "building", "good", 20,
     {"revisions": 1}),
    # Loire-Atlantique
    ("Terrain de la rue des Ajoncs", "44109", "rue des Ajoncs", "land", "to_improve", 38,
     {"owners": [(OwnerType.PUBLIC, "")]}),
    ("Campement du quai des Saulniers", "44109", "quai des Saulniers", "land", "bad", 26,
     {"status": "resorbed"}),
    ("Squat de la rue des Genêts", "44109", "9 rue des Genêts", "building", "good", 16,
     {"owners": [(OwnerType.PRIVATE, "Propriétaire privé F")]}),
    ("Terrain du chemin des Bruyères", "44162", "chemin des Bruyères", "land", "unknown", 55,
     {"justice": True}),
    ("Friche de la rue des Roseaux", "44162", "rue des Roseaux", "land", "to_improve", 21,
     {"status": "closed", "cause": ClosingCause.MUNICIPAL_ORDER}),
]  # fmt: skip


def _days(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _population(people: int | None, seed: int) -> dict:
    """Counts consistent with the validation rules (households ≤ people, bands ≤ minors…)."""
    if people is None:
        return {}
    minors = people * 2 // 5
    bands = [minors // 5] * 4  # 0-3, 3-6, 6-12, 12-16; 16-18 left unknown on odd sites
    values = {
        "people": people,
        "households": max(1, people // 4),
        "women": people * 9 // 20,
        "minors": minors,
        "minor_girls": minors // 2,
        "minors_0_3": bands[0],
        "minors_3_6": bands[1],
        "minors_6_12": bands[2],
        "minors_12_16": bands[3],
        "minors_16_18": None if seed % 2 else minors - sum(bands),
        "minors_in_school": minors * (seed % 4) // 4,
        "population_updated_at": _days(20 + seed),
        "origins": [[Origin.EUROPEAN], [Origin.OTHER], [Origin.EUROPEAN, Origin.FRENCH]][seed % 3],
    }
    housing = "huts" if seed % 3 else "caravans"
    values[housing] = max(1, values["households"] - seed % 3)
    values["mattresses"] = people // 2
    return values


def _site(index: int, name, code, address, field_type, conditions, people, extra) -> SitePage:
    latitude, longitude = COMMUNE_CENTRES[code]
    offset = Decimal((index % 5) - 2) * Decimal("0.004")
    status = extra.get("status")
    declared = 1200 - index * 30
    site = SitePage(
        slug=slugify(name),
        name=name,
        address=address,
        commune=Commune.objects.get(code=code),
        latitude=Decimal(str(latitude)) + offset,
        longitude=Decimal(str(longitude)) - offset / 2,
        field_type=FieldType(field_type),
        installed_at=_days(declared + 90) if index % 3 else None,
        declared_at=_days(declared),
        updated_at=_days(60 + index),
        reinstallation=[None, False, True][index % 3],
        reinstallation_comments="Famille revenue après une expulsion voisine."
        if index % 3 == 2
        else "",
        heatwave=extra.get("heatwave", False),
        resorption_target_year=timezone.localdate().year + 1 + index % 2 if not status else None,
        **_population(people, index),
        **CONDITIONS[conditions],
    )
    if index % 3 == 0:
        site.social_diagnosis_status = SocialDiagnosisStatus.DONE
        site.social_diagnosis_at = _days(150)
        site.social_diagnosis_by = "Association Horizons"
    elif index % 3 == 1:
        site.social_diagnosis_status = SocialDiagnosisStatus.PLANNED
        site.social_diagnosis_at = _days(-30)
        site.social_diagnosis_by = "Opérateur de démonstration"
    if index % 3 == 0 and not status:
        # Engaged in a resorption process: the social diagnosis done, then the next phases
        site.resorption_process = True
        site.technical_diagnosis_done = True
        site.technical_diagnosis_at = _days(100)
        if index % 2 == 0:
            site.social_assessment_at = _days(-45)
        else:
            site.social_assessment_done = True
            site.social_assessment_at = _days(40)
            site.political_validation_at = _days(-60)
    if extra.get("justice"):
        for field, value in JUSTICE.items():
            setattr(site, field, value)
        site.justice_decision_at = _days(200)
        site.police_requested_at = _days(150)
        if index % 2:
            site.eviction_order = True
            site.eviction_order_at = _days(120)
            site.eviction_order_authority = "Préfecture (démonstration)"
        else:
            site.insalubrity_order_type = InsalubrityOrderType.MUNICIPAL
            site.insalubrity_order_at = _days(180)
            site.insalubrity_order_by = "Mairie (démonstration)"
    for owner_type, owner_name in extra.get("owners", []):
        site.owners.add(SiteOwner(type=owner_type, name=owner_name))
    if status:
        site.closed_at = _days(30 + index)
        site.updated_at = _days(30 + index)
        site.resorption_target_year = None
        if status == "resorbed":
            site.closing_cause = ClosingCause.RESORPTION
            site.closed_with_solutions = True
            site.closing_context = "Accompagnement global mené sur plusieurs mois."
            households = site.households or 1
            site.closing_solutions.add(
                ClosingSolution(
                    solution_type=SolutionType.INTEGRATION_SHELTER,
                    people=people // 2,
                    households=households // 2,
                )
            )
            site.closing_solutions.add(
                ClosingSolution(
                    solution_type=SolutionType.HOUSING,
                    people=people // 4,
                    households=households // 4,
                )
            )
        else:
            site.closing_cause = extra["cause"]
            site.closed_with_solutions = False
            if site.closing_cause == ClosingCause.OTHER:
                site.closing_context = "Incendie ayant rendu le terrain inhabitable."
    return site


def _index(home, department) -> SiteIndexPage:
    index = SiteIndexPage.objects.filter(department=department).first()
    if index is None:
        index = SiteIndexPage(
            title=f"Sites — {department.name}",
            slug=f"sites-{department.code.lower()}",
            department=department,
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def load_demo(stdout=None) -> int:
    """The demo sites (settings.DEMO_LOADERS); returns the number of sites created."""
    created = load_demo_sites()
    if stdout is not None:
        stdout.write(f"Sites de démonstration créés : {created}")
    return created


def load_demo_sites(*, stdout=None) -> int:
    """Create the demo index pages and sites missing; return the number of sites created."""
    home = home_page()
    indexes = {
        department.code: _index(home, department)
        for department in Department.objects.filter(code__in=DEMO_DEPARTMENTS)
    }
    created = 0
    for position, (name, code, address, field_type, conditions, people, extra) in enumerate(
        DEMO_SITES
    ):
        index = indexes[code[:2]]
        if SitePage.objects.child_of(index).filter(slug=slugify(name)).exists():
            continue
        site = _site(position, name, code, address, field_type, conditions, people, extra)
        index.add_child(instance=site)  # Page.save() runs full_clean()
        site.save_revision().publish()
        for step in range(extra.get("revisions", 0)):
            # A later visit: the population changed, the information was updated.
            site.updated_at = _days(10 - 5 * step)
            if site.people is not None:
                site.people += 3
                site.households += 1
            site.last_visited_at = site.updated_at
            site.save_revision().publish()
        created += 1
    if stdout is not None and created:
        stdout.write(f"{created} sites de démonstration créés.")
    return created
