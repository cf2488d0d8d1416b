"""Demo actions: a dozen actions on the demo sites, across last year and this one, with their
operators, pilots, finances and indicators. Idempotent (an action is found by its name).
Loaded by `python manage.py load_demo` (`settings.DEMO_LOADERS`), or alone with
`python manage.py load_actions_demo`."""

import datetime

from django.db import transaction
from django.utils import timezone

from actions import services
from actions.enums import ActionTopic, FinanceType, LocationType
from actions.models import Action, ActionFinance, ActionIndicators
from directory.models import Commune, Department, Organization, User
from sitepages.models import SitePage

T = ActionTopic

#: (name, department, topics, starts last year?, ended?, operators (first principal),
#:  pilot emails, number of sites, planned State money per year)
DEMO_ACTIONS = [
    ("Scolarisation des enfants de Villeurbanne", "69", [T.SCHOOL], True, False,
     ["Association Horizons"], ["sophie-martin@demo.test"], 2, 45000),
    ("Accompagnement vers le logement — Lyon", "69", [T.HOUSING], True, False,
     ["Association Horizons", "CCAS de Villeurbanne"], ["local.admin@demo.test"], 2, 120000),
    ("Médiation santé dans le Rhône", "69", [T.HEALTH], False, False,
     ["Association Horizons"], ["lea-petit@demo.test"], 1, 30000),
    ("Insertion professionnelle à Lille", "59", [T.EMPLOYMENT], True, False,
     ["Association Les Ponts"], ["amina-diallo@demo.test"], 2, 60000),
    ("Espace temporaire d’insertion de Lille", "59", [T.HOUSING, T.SITE_MANAGEMENT], True, False,
     ["Association Les Ponts", "Ville de Lille"], ["correspondant@demo.test"], 0, 250000),
    ("Suivi sanitaire des campements du Nord", "59", [T.HEALTH], True, True,
     ["ARS Hauts-de-France"], ["julie-moreau@demo.test"], 2, 25000),
    ("Gestion des sites de Roubaix", "59", [T.SITE_MANAGEMENT, T.SECURITY], False, False,
     ["Association Les Ponts"], ["karim-benali@demo.test"], 1, 15000),
    ("Scolarisation en Seine-Saint-Denis", "93", [T.SCHOOL], True, False,
     ["Association Horizons"], ["operateur@demo.test"], 2, 50000),
    ("Relogement à Montreuil", "93", [T.HOUSING], True, False,
     ["Association Horizons"], ["operateur@demo.test"], 2, 90000),
    ("Accès aux droits à Marseille", "13", [T.HEALTH, T.EMPLOYMENT], True, False,
     ["Fédération nationale des acteurs de la solidarité"], ["acteur.national@demo.test"], 2,
     40000),
    ("Mise à l’abri à Nantes", "44", [T.HOUSING], True, True,
     ["Fédération nationale des acteurs de la solidarité"], ["acteur.national@demo.test"], 2,
     35000),
    ("Emploi et formation à Saint-Herblain", "44", [T.EMPLOYMENT, T.OTHER], False, False,
     ["Fédération nationale des acteurs de la solidarité"], ["acteur.national@demo.test"], 1,
     20000),
]  # fmt: skip


def _indicators(people: int, seed: int) -> dict:
    minors = people // 3
    households = max(1, people // 4)
    return {
        "people": people,
        "households": households,
        "women": people // 2,
        "minors": minors,
        "health_coverage": people // 2,
        "health_followed": people // 3,
        "employed": people // 6,
        "in_training": people // 8,
        "sheltered_people": people // 5,
        "sheltered_households": households // 5,
        "housed_people": people // 6 + seed % 3,
        "housed_households": min(households, people // 6 + seed % 3) // 2,
        "school_nursery": minors // 5,
        "school_primary": minors // 3,
        "school_secondary": minors // 6,
        "school_high": minors // 10,
        "out_of_school": minors // 6,
    }


@transaction.atomic
def load_demo_actions(*, stdout=None) -> int:
    today = timezone.localdate()
    this_year = today.year
    created = 0
    for seed, (
        name,
        code,
        topics,
        last_year,
        ended,
        operators,
        pilots,
        site_count,
        money,
    ) in enumerate(DEMO_ACTIONS):
        if Action.objects.filter(name=name).exists():
            continue
        department = Department.objects.filter(code=code).first()
        organizations = [Organization.objects.filter(name=o).first() for o in operators]
        users = list(User.objects.filter(email__in=pilots))
        if department is None or None in organizations:
            continue
        if not users:
            users = list(User.objects.filter(email="correspondant@demo.test")) or list(
                User.objects.filter(is_superuser=True)[:1]
            )
        if not users:
            continue
        sites = list(
            SitePage.objects.live()
            .filter(commune__department=department)
            .order_by("pk")[seed % 3 : seed % 3 + site_count]
        )
        started = datetime.date(this_year - 1 if last_year else this_year, 1 + seed % 6, 1)
        action = Action(
            name=name,
            goals="Action de démonstration : accompagner les habitants des sites concernés.",
            topics=list(topics),
            started_at=started,
            ended_at=today - datetime.timedelta(days=20) if ended else None,
            department=department,
        )
        if sites:
            action.location_type = LocationType.SITES
        elif code == "59":
            action.location_type = LocationType.INTEGRATION_SPACE
            action.location_address = "12 rue de l’Insertion"

            action.location_commune = Commune.objects.filter(code="59350").first()
        else:
            action.location_type = LocationType.OTHER
            action.location_other = "Dans plusieurs communes du département"
        action.full_clean()
        services.create_action(
            action=action,
            user=users[0],
            pilots=users,
            operators=[
                (organization, index == 0) for index, organization in enumerate(organizations)
            ],
            sites=sites,
        )
        rows = []
        for year in action.years:
            rows.append(
                ActionFinance(
                    action=action,
                    year=year,
                    finance_type=FinanceType.STATE,
                    planned_amount=money,
                    spent_amount=money * 8 // 10 if year < this_year else money // 3,
                )
            )
            if seed % 2:
                rows.append(
                    ActionFinance(
                        action=action,
                        year=year,
                        finance_type=FinanceType.LOCAL_AUTHORITY,
                        planned_amount=money // 4,
                        comment="Convention avec la collectivité",
                    )
                )
        services.save_finances(action=action, user=users[0], rows=rows)
        for year in action.indicator_years:
            if year == this_year and seed % 3 == 0:
                continue  # this year's indicators not filled in yet: the reminder's case
            values = _indicators(20 + 7 * seed + (year - started.year) * 5, seed)
            row = ActionIndicators(action=action, year=year, **values)
            row.full_clean()
            services.save_indicators(action=action, year=year, values=values, user=users[0])
        created += 1
    if stdout is not None and created:
        stdout.write(f"{created} actions de démonstration créées.")
    return created


def load_demo(*, stdout=None) -> int:
    """The entry point of `settings.DEMO_LOADERS`."""
    return load_demo_actions(stdout=stdout)
