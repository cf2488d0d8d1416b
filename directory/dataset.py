"""Synthetic data, directory part: the departments where sites are, organisations, accounts
and their intervention areas (see `core.dataset`). Every name here is invented."""

from django.core.management import call_command
from django.db.models import Q

from core.dataset import EMAIL_DOMAIN, Generation, step, weighted_counts
from directory.enums import Role, Topic, UserStatus
from directory.models import (
    CharterVersion,
    Commune,
    Department,
    InterventionArea,
    Organization,
    OrganizationType,
    User,
    normalize_name,
)

#: The departments of the demo come first: the demo accounts act there.
FIRST_DEPARTMENTS = ["93", "69", "59", "13", "44", "31", "33", "34", "91", "94"]
#: Sites cluster in few communes of a department: how many communes hold sites, at most.
COMMUNES_PER_DEPARTMENT = 12

FIRST_NAMES = [
    "Camille", "Dominique", "Claude", "Alix", "Sacha", "Morgan", "Louison", "Maxime", "Noa",
    "Eden", "Charlie", "Lou", "Andrea", "Yanis", "Inès", "Lucas", "Emma", "Nora", "Hugo",
    "Sofia", "Malik", "Aya", "Jules", "Léna", "Rayan", "Chloé", "Adam", "Zoé", "Nathan", "Mila",
]  # fmt: skip
LAST_NAMES = [
    "Aubépine", "Bruyère", "Cerisier", "Dolmen", "Églantier", "Fougère", "Genièvre", "Houblon",
    "Iris", "Jonquille", "Lavande", "Mélèze", "Noisetier", "Orpin", "Pervenche", "Quenouille",
    "Romarin", "Sureau", "Tilleul", "Verveine", "Amandier", "Bouleau", "Charme", "Érable",
    "Frêne", "Garance", "Hellébore", "Lierre", "Muguet", "Platane",
]  # fmt: skip
ASSOCIATION_WORDS = [
    "Passerelles", "Trait d’union", "Horizons partagés", "Le Relais", "Les Ponts solidaires",
    "L’Escale", "Boussole", "Accueil et partage", "Main tendue", "Chemins communs",
]  # fmt: skip
POSITIONS = {
    Role.LOCAL_ADMIN: ["Administrateur local", "Administratrice locale"],
    Role.CORRESPONDANT: ["Chargée de mission résorption", "Chef de bureau hébergement"],
    Role.PARTENAIRE_INSTITUTIONNEL: [
        "Chef de service",
        "Chargé de mission",
        "Travailleuse sociale",
    ],
    Role.OPERATEUR: ["Coordinatrice", "Chef de projet", "Travailleur social"],
    Role.INTERVENANT: ["Médiatrice santé", "Médiateur scolaire", "Bénévole", "Infirmière"],
    Role.ACTEUR_NATIONAL: ["Chargé de plaidoyer", "Responsable national"],
    Role.OBSERVATEUR_EXTERNE: ["Chercheuse associée", "Doctorant"],
    Role.NATIONAL_ADMIN: ["Chargée de mission nationale"],
}
#: A password nobody can use: generated accounts never log in (the demo accounts do).
UNUSABLE_PASSWORD = "!synthetic-account"  # noqa: S105


def _departments(generation: Generation, rng) -> list[tuple[Department, float]]:
    """About 40 metropolitan departments at scale 1, with a weight (how many sites)."""
    wanted = min(96, max(5, round(40 * generation.scale**0.5)))
    metropolitan = [
        d for d in Department.objects.order_by("code") if len(d.code) == 2 and d.code != "75"
    ]
    first = [d for code in FIRST_DEPARTMENTS for d in metropolitan if d.code == code]
    others = [d for d in metropolitan if d not in first]
    chosen = (first + rng.sample(others, k=max(0, min(len(others), wanted - len(first)))))[:wanted]
    return [
        (department, 4.0 if index < 5 else rng.uniform(0.3, 2.0))
        for index, department in enumerate(chosen)
    ]


def _site_communes(department: Department, rng) -> list[tuple[Commune, float]]:
    """The communes of the department where sites are: the most populated, a few others."""
    communes = list(
        Commune.objects.filter(department=department, population__gt=3000).order_by(
            "-population", "code"
        )[: COMMUNES_PER_DEPARTMENT * 2]
    ) or list(Commune.objects.filter(department=department).order_by("code")[:5])
    count = min(len(communes), rng.randint(3, COMMUNES_PER_DEPARTMENT))
    chosen = communes[:2] + rng.sample(communes[2:], k=max(0, count - 2))
    return [
        (commune, rng.uniform(0.5, 3.0) if i < 2 else rng.uniform(0.2, 1.0))
        for i, commune in enumerate(chosen)
    ]


def _organisation_plan(department, communes, rng) -> list[tuple[str, str, str, object]]:
    """(name, abbreviation, type name, area territory) by priority for one department."""
    code, name = department.code, department.name
    plan = [
        (f"Préfecture — {name} (fictive)", "", "Préfecture", department),
        (f"DDETS — {name} (fictive)", f"DDETS {code}", _ddets(), department),
    ]
    words = rng.sample(ASSOCIATION_WORDS, k=4)
    for index, (commune, _weight) in enumerate(communes[:4]):
        plan.append((f"Association {words[index]} {code}", "", "Association", department))
        plan.append((f"Ville de {commune.name} (fictive)", "", "Commune", commune))
        plan.append((f"CCAS de {commune.name} (fictif)", "CCAS", _ccas(), commune))
    plan.append(
        (f"Conseil départemental — {name} (fictif)", "", "Conseil départemental", department)
    )
    plan.append((f"Bailleur social {code} (fictif)", "", "Bailleur social", department))
    return plan


def _ddets():
    return "Direction départementale de l’emploi, du travail et des solidarités"


def _ccas():
    return "Centre communal d’action sociale"


@step(10, "Annuaire")
def generate_directory(generation: Generation) -> None:
    rng = generation.rng("directory")
    if not Commune.objects.exists():
        call_command("load_territories", stdout=generation.stdout)
    departments = _departments(generation, rng)
    generation.departments = [
        (department, weight, _site_communes(department, rng)) for department, weight in departments
    ]
    types = {t.name: t for t in OrganizationType.objects.all()}
    wanted_organisations = generation.scaled(300, minimum=3 * len(departments))
    per_department = weighted_counts(
        rng, wanted_organisations, [weight + 1 for _, weight in departments]
    )
    plan = []  # (name, abbreviation, type, territory)
    for (department, _weight, communes), count in zip(
        generation.departments, per_department, strict=True
    ):
        candidates = _organisation_plan(department, communes, rng)
        plan += candidates[: max(3, count)]
    regions = sorted({department.region_id for department, _ in departments})
    plan += [
        (f"ARS — région {code} (fictive)", "ARS", "Agence régionale de santé", None)
        for code in regions
    ]
    plan += [
        ("Réseau national de solidarité (fictif)", "", "Fédération ou réseau national", None),
        ("Observatoire des territoires (fictif)", "", "Université ou recherche", None),
    ]
    existing = set(
        Organization.objects.filter(name__in=[p[0] for p in plan]).values_list("name", flat=True)
    )
    plan = [p for p in plan if p[0] not in existing]
    organisations = [
        Organization(
            name=name,
            abbreviation=abbreviation,
            type=types[type_name],
            category=types[type_name].category,
            is_state_funded=type_name == "Association",
            state_funded_year=generation.today.year - 1 if type_name == "Association" else None,
            search_name=normalize_name(f"{name} {abbreviation}"),
        )
        for name, abbreviation, type_name, _territory in plan
    ]
    Organization.objects.bulk_create(organisations, batch_size=500)
    region_by_code = {d.region_id: d.region for d, _ in departments}
    areas = []
    for organisation, (name, _abbreviation, _type, territory) in zip(
        organisations, plan, strict=True
    ):
        if territory is None and name.startswith("ARS"):
            territory = region_by_code[name.split()[3]]
        areas.append(
            InterventionArea.for_territory(territory, is_main=True, organization=organisation)
        )
    InterventionArea.objects.bulk_create(areas, batch_size=1000)
    generation.record("organisations", len(organisations))

    # Accounts: each organisation has some, the big ones more.
    charter = CharterVersion.objects.current()
    wanted_users = generation.scaled(1000, minimum=len(organisations))
    sizes = weighted_counts(
        rng, wanted_users - len(organisations), [rng.uniform(0.5, 4.0) for _ in organisations]
    )
    bar = generation.progress("Comptes", wanted_users)
    users, own_areas = [], []
    number = 0
    for organisation, extra in zip(organisations, sizes, strict=True):
        for position in range(1 + extra):
            number += 1
            role = organisation.type.default_role
            if organisation.type.name == "Préfecture" and position == 0:
                role = Role.LOCAL_ADMIN
            elif organisation.type.name in ("Préfecture", _ddets()):
                role = Role.CORRESPONDANT
            elif organisation.type.name == "Association" and position % 3 == 2:
                role = Role.INTERVENANT
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{normalize_name(first)}.{normalize_name(last)}.{number}@{EMAIL_DOMAIN}"
            joined = generation.moment(rng.randint(30, 2000), rng)
            status = (
                UserStatus.ACTIVE
                if rng.random() < 0.94
                else rng.choice([UserStatus.NEW, UserStatus.INACTIVE])
            )
            accepted = charter is not None and status == UserStatus.ACTIVE
            users.append(
                User(
                    email=email.replace(" ", "-"),
                    first_name=first,
                    last_name=last,
                    position=rng.choice(POSITIONS[Role(role)]),
                    organization=organisation,
                    role=role,
                    status=status,
                    is_active=status != UserStatus.INACTIVE,
                    expertise_topics=rng.sample(Topic.values, k=rng.randint(0, 2)),
                    charter_version_accepted=charter.version if accepted else None,
                    charter_accepted_at=joined if accepted else None,
                    last_access=generation.moment(rng.expovariate(1 / 20), rng)
                    if status == UserStatus.ACTIVE
                    else None,
                    date_joined=joined,
                    password=UNUSABLE_PASSWORD,
                    search_name=normalize_name(f"{first} {last} {email}"),
                )
            )
            bar.advance()
    User.objects.bulk_create(users, batch_size=1000)
    # Field workers of an association act in one commune of its department.
    commune_of = {department.code: communes for department, _w, communes in generation.departments}
    for user in users:
        organisation = user.organization
        if user.role == Role.INTERVENANT and organisation.type.name == "Association":
            communes = commune_of.get(organisation.name.rsplit(" ", 1)[-1])
            if communes:
                own_areas.append(
                    InterventionArea.for_territory(rng.choice(communes)[0], is_main=True, user=user)
                )
    InterventionArea.objects.bulk_create(own_areas, batch_size=1000)
    bar.finish(f"{len(users)} comptes, {len(organisations)} organisations")
    generation.record("users", len(users))


def generated_users():
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")


def readers_by_department(generation: Generation) -> dict[str, list[User]]:
    """Active generated accounts by the department of their organisation's main area (for
    authors of journal messages, forum posts, recipients of notifications)."""
    result: dict[str, list[User]] = {}
    rows = (
        generated_users()
        .active()
        .filter(Q(organization__intervention_areas__is_main=True))
        .values_list(
            "pk",
            "organization__intervention_areas__department_id",
            "organization__intervention_areas__commune__department_id",
        )
        .order_by("pk")
    )
    ids = {}
    for pk, department, commune_department in rows:
        code = department or commune_department
        if code:
            ids.setdefault(code, []).append(pk)
    by_pk = User.objects.in_bulk([pk for pks in ids.values() for pk in pks])
    for code, pks in ids.items():
        result[code] = [by_pk[pk] for pk in pks]
    return result
