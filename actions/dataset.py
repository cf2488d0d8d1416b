"""Synthetic data, actions part: ~300 resorption actions at scale 1 in the departments of the
generated sites, piloted by accounts of the department and run by its organisations, most of
them on given sites, with their finances and the indicators of their past years, all within the
actions' rules (see `core.dataset`)."""

import datetime
from decimal import Decimal

from actions import indicators
from actions.enums import ActionTopic, FinanceType, LocationType
from actions.models import (
    Action,
    ActionFinance,
    ActionIndicators,
    ActionOperator,
    ActionRevision,
)
from actions.snapshots import snapshot
from core.dataset import Generation, step, weighted_counts
from directory.dataset import readers_by_department
from directory.enums import Role

KINDS = [
    ("Accompagnement sanitaire", [ActionTopic.HEALTH]),
    ("Scolarisation des enfants", [ActionTopic.SCHOOL]),
    ("Insertion professionnelle", [ActionTopic.EMPLOYMENT]),
    ("Accès au logement", [ActionTopic.HOUSING]),
    ("Médiation et accompagnement global", [ActionTopic.HEALTH, ActionTopic.SCHOOL]),
    ("Gestion du site et sécurisation", [ActionTopic.SITE_MANAGEMENT, ActionTopic.SECURITY]),
    ("Diagnostic et relogement", [ActionTopic.HOUSING, ActionTopic.EMPLOYMENT]),
]
GOALS = [
    "Accompagner les familles vers le droit commun.",
    "Ouvrir les droits à la santé et suivre les personnes les plus fragiles.",
    "Scolariser tous les enfants du site et suivre leur assiduité.",
    "Proposer une solution d’hébergement ou de logement à chaque ménage.",
]
PILOT_ROLES = (Role.CORRESPONDANT, Role.LOCAL_ADMIN, Role.PARTENAIRE_INSTITUTIONNEL)


@step(30, "Actions")
def generate_actions(generation: Generation) -> None:
    rng = generation.rng("actions")
    readers = readers_by_department(generation)
    department_of = {
        commune.pk: department
        for department, _weight, communes in generation.departments
        for commune, _commune_weight in communes
    }
    open_sites: dict[str, list] = {}
    departments = {}
    for site in generation.sites:
        department = department_of.get(site.commune_id)
        if department is not None and site.closed_at is None:
            open_sites.setdefault(department.code, []).append(site)
            departments[department.code] = department
    codes = sorted(code for code in open_sites if readers.get(code))
    counts = weighted_counts(rng, generation.scaled(300), [len(open_sites[code]) for code in codes])
    actions, plans = [], []
    for code, count in zip(codes, counts, strict=True):
        people = readers[code]
        pilots_pool = [user for user in people if user.role in PILOT_ROLES] or people
        organisations = sorted({user.organization for user in people}, key=lambda o: o.pk)
        for number in range(count):
            name, topics = KINDS[rng.randrange(len(KINDS))]
            started = generation.day(rng.randint(30, 1000))
            ended = None
            if rng.random() < 0.7:
                ended = started + datetime.timedelta(days=rng.randint(180, 1100))
            on_sites = rng.random() < 0.75
            action = Action(
                name=f"{name} — {departments[code].name} {number + 1}",
                goals=rng.choice(GOALS),
                topics=list(topics),
                started_at=started,
                ended_at=ended,
                department=departments[code],
                location_type=LocationType.SITES if on_sites else LocationType.HOUSING,
                created_at=generation.moment((generation.today - started).days, rng),
            )
            action.updated_at = action.created_at
            pilots = rng.sample(pilots_pool, k=min(len(pilots_pool), rng.randint(1, 2)))
            action.created_by = pilots[0]
            operators = rng.sample(organisations, k=min(len(organisations), rng.randint(1, 2)))
            sites = []
            if on_sites:
                pool = open_sites[code]
                sites = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
            actions.append(action)
            plans.append((pilots, operators, sites))
    bar = generation.progress("Actions", len(actions))
    Action.objects.bulk_create(actions, batch_size=500)
    pilot_rows, site_rows, operator_rows, finances, results = [], [], [], [], []
    for action, (pilots, operators, sites) in zip(actions, plans, strict=True):
        pilot_rows += [Action.pilots.through(action=action, user=user) for user in pilots]
        site_rows += [Action.sites.through(action=action, sitepage=site) for site in sites]
        operator_rows += [
            ActionOperator(action=action, organization=organisation, is_principal=index == 0)
            for index, organisation in enumerate(operators)
        ]
        last_year = min((action.ended_at or generation.today).year, generation.today.year)
        for year in range(action.started_at.year, last_year + 1):
            finances += _finances(rng, action, year, past=year < generation.today.year)
            if year < generation.today.year:
                results.append(_indicators(rng, action, year))
        bar.advance()
    Action.pilots.through.objects.bulk_create(pilot_rows, batch_size=1000)
    Action.sites.through.objects.bulk_create(site_rows, batch_size=1000)
    ActionOperator.objects.bulk_create(operator_rows, batch_size=1000)
    ActionFinance.objects.bulk_create(finances, batch_size=1000)
    ActionIndicators.objects.bulk_create(results, batch_size=1000)
    # The history starts with the action as generated (the search documents are written by the
    # search step).
    ActionRevision.objects.bulk_create(
        [
            ActionRevision(
                action=action,
                user=action.created_by,
                created_at=action.created_at,
                content=snapshot(action),
            )
            for action in actions
        ],
        batch_size=500,
    )
    bar.finish(f"{len(actions)} actions, {len(finances)} lignes de financement")
    generation.record("actions", len(actions))
    generation.record("action finances", len(finances))
    generation.record("action indicators", len(results))


def _finances(rng, action, year, *, past: bool) -> list[ActionFinance]:
    rows = []
    for finance_type in rng.sample(list(FinanceType), k=rng.randint(1, 2)):
        planned = Decimal(rng.randrange(5, 200) * 1000)
        spent = (planned * rng.randint(60, 100) / 100).quantize(Decimal("1")) if past else None
        rows.append(
            ActionFinance(
                action=action,
                year=year,
                finance_type=finance_type,
                planned_amount=planned,
                spent_amount=spent,
            )
        )
    return rows


def _indicators(rng, action, year) -> ActionIndicators:
    """The counts of one past year, every sub-count within its parent (`actions.indicators`)."""
    people = rng.randint(10, 200)
    households = max(1, people // rng.randint(3, 5))
    minors = rng.randint(0, people // 2)
    sheltered_people = rng.randint(0, people // 3)
    housed_people = rng.randint(0, people // 3)
    nursery = rng.randint(0, minors // 4)
    primary = rng.randint(0, minors // 3)
    secondary = rng.randint(0, minors // 5)
    high = rng.randint(0, minors // 8)
    values = {
        "people": people,
        "households": households,
        "women": rng.randint(0, people // 2),
        "minors": minors,
        "health_coverage": rng.randint(0, people),
        "health_followed": rng.randint(0, people // 2),
        "employed": rng.randint(0, people // 4),
        "in_training": rng.randint(0, people // 6),
        "sheltered_people": sheltered_people,
        "sheltered_households": rng.randint(0, min(households, sheltered_people)),
        "housed_people": housed_people,
        "housed_households": rng.randint(0, min(households, housed_people)),
        "school_nursery": nursery,
        "school_primary": primary,
        "school_secondary": secondary,
        "school_high": high,
        "out_of_school": rng.randint(0, minors - nursery - primary - secondary - high),
    }
    problems = indicators.check(values, year)
    assert not problems, problems  # noqa: S101 - a generator bug, not user input
    return ActionIndicators(action=action, year=year, **values)
