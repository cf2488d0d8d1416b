"""Demo organisations and accounts: one account per role (no real people), a few more people for
the directory to browse, the administrators' known second factor. Idempotent.

Run through `python manage.py load_demo` (settings.DEMO_LOADERS), first of the apps' loaders.
"""

import base64

from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.enums import OrganizationCategory, Role, Topic, UserStatus
from directory.models import (
    CharterVersion,
    Commune,
    Department,
    InterventionArea,
    Organization,
    OrganizationType,
    Region,
    User,
    normalize_name,
)
from directory.perms import SECOND_FACTOR_ROLES
from directory.services.second_factor import has_second_factor

DEMO_PASSWORD = "demo-resorption-2026"
# The demo administrators' authenticator secret (TOTP, base32): known, so that the demo needs
# no enrolment. Add it to any authentication app, or print the current code with
# `python manage.py demo_totp`. Demo only: real accounts enrol with a random secret.
DEMO_TOTP_SECRET = "MRSW233PEBZGK43POJYHI2LPNYQDEMBS"

# Fictitious organisations (names of real public bodies are generic: "Préfecture du Rhône" is a
# role, not a person). Areas: ("nation", None) | ("region"|"department"|"commune", code).
DEMO_ORGANIZATIONS = [
    (
        "Dihal",
        "Dihal",
        "Délégation interministérielle à l’hébergement et à l’accès au logement",
        [("nation", None)],
        False,
    ),
    ("Préfecture du Rhône", "", "Préfecture", [("department", "69")], False),
    (
        "DDETS du Nord",
        "DDETS 59",
        "Direction départementale de l’emploi, du travail et des solidarités",
        [("department", "59")],
        False,
    ),
    ("Préfecture de la Seine-Saint-Denis", "", "Préfecture", [("department", "93")], False),
    (
        "CCAS de Villeurbanne",
        "CCAS",
        "Centre communal d’action sociale",
        [("commune", "69266")],
        False,
    ),
    ("Ville de Lille", "", "Commune", [("commune", "59350")], False),
    ("Association Horizons", "", "Association", [("department", "93"), ("department", "69")], True),
    ("Association Les Ponts", "", "Association", [("department", "59")], True),
    (
        "Fédération nationale des acteurs de la solidarité",
        "",
        "Fédération ou réseau national",
        [("nation", None)],
        False,
    ),
    ("ARS Hauts-de-France", "ARS", "Agence régionale de santé", [("region", "32")], False),
    ("Laboratoire de sciences sociales", "", "Université ou recherche", [("region", "84")], False),
]

# One account per role (no real people). Emails use the reserved .test domain.
# (role, first name, last name, position, organisation, own area or None, expertise)
DEMO_USERS = [
    (
        Role.NATIONAL_ADMIN,
        "Nadia",
        "Nationale",
        "Administratrice nationale",
        "Dihal",
        None,
        [Topic.STEERING],
    ),
    (
        Role.LOCAL_ADMIN,
        "Luc",
        "Local",
        "Administrateur local",
        "Préfecture du Rhône",
        None,
        [Topic.STEERING],
    ),
    (
        Role.CORRESPONDANT,
        "Claire",
        "Correspondante",
        "Chargée de mission résorption",
        "DDETS du Nord",
        None,
        [Topic.HOUSING, Topic.STEERING],
    ),
    (
        Role.PARTENAIRE_INSTITUTIONNEL,
        "Paul",
        "Partenaire",
        "Chef de service",
        "CCAS de Villeurbanne",
        None,
        [Topic.HOUSING],
    ),
    (
        Role.OPERATEUR,
        "Olga",
        "Operatrice",
        "Coordinatrice",
        "Association Horizons",
        ("department", "93"),
        [Topic.SCHOOL, Topic.MEDIATION],
    ),
    (
        Role.ACTEUR_NATIONAL,
        "Antoine",
        "National",
        "Chargé de plaidoyer",
        "Fédération nationale des acteurs de la solidarité",
        None,
        [Topic.HOUSING],
    ),
    (
        Role.INTERVENANT,
        "Inès",
        "Intervenante",
        "Médiatrice santé",
        "Association Horizons",
        ("department", "69"),
        [Topic.HEALTH],
    ),
    (
        Role.OBSERVATEUR_EXTERNE,
        "Omar",
        "Observateur",
        "Chercheur associé",
        "Laboratoire de sciences sociales",
        None,
        [Topic.OTHER],
    ),
]

# More people so that the directory has something to browse.
EXTRA_USERS = [
    ("Sophie", "Martin", "Médiatrice scolaire", "Association Horizons", [Topic.SCHOOL]),
    ("Karim", "Benali", "Travailleur social", "Association Les Ponts", [Topic.HOUSING]),
    ("Julie", "Moreau", "Infirmière", "ARS Hauts-de-France", [Topic.HEALTH]),
    (
        "Thomas",
        "Leroy",
        "Chargé de mission",
        "Préfecture de la Seine-Saint-Denis",
        [Topic.STEERING],
    ),
    ("Amina", "Diallo", "Conseillère insertion", "Association Les Ponts", [Topic.EMPLOYMENT]),
    ("Hugo", "Bernard", "Responsable logement", "Ville de Lille", [Topic.HOUSING]),
    ("Léa", "Petit", "Coordinatrice santé", "Association Horizons", [Topic.HEALTH]),
    ("Marc", "Roux", "Agent d’accueil", "CCAS de Villeurbanne", [Topic.HUMANITARIAN]),
]


def load_demo(stdout=None) -> list:
    """The territories (when missing), the demo organisations and accounts; returns the role
    accounts."""
    if not Commune.objects.exists():
        if stdout is not None:
            stdout.write("Chargement du référentiel des territoires…")
        call_command("load_territories", stdout=stdout)
    return _load_users(_load_organizations())


def role_accounts() -> list:
    """The demo accounts of each role that exist, in the order of DEMO_USERS."""
    emails = [_role_email(role) for role, *_rest in DEMO_USERS]
    found = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [found[email] for email in emails if email in found]


def print_accounts(stdout=None) -> None:
    """How to log in to the demo: printed last by `load_demo`."""
    if stdout is None:
        return
    stdout.write(f"\nComptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
    for user in role_accounts():
        stdout.write(f"  {user.get_role_display():<28} {user.email}")
    stdout.write("  (l’administratrice nationale accède aussi à /admin/)")
    stdout.write(
        "\nDouble authentification des administrateurs : clé TOTP de démonstration "
        f"{DEMO_TOTP_SECRET} (à ajouter dans une application d’authentification), ou code "
        "du moment avec « python manage.py demo_totp ».\n"
    )


def _role_email(role) -> str:
    return f"{role.value.replace('_', '.')}@demo.test"


def _load_organizations():
    territories = {"region": Region, "department": Department, "commune": Commune}
    organizations = {}
    for name, abbreviation, type_name, areas, state_funded in DEMO_ORGANIZATIONS:
        organization_type = OrganizationType.objects.get(name=type_name)
        organization, created = Organization.objects.get_or_create(
            name=name,
            defaults={
                "abbreviation": abbreviation,
                "type": organization_type,
                "category": organization_type.category,
                "is_state_funded": state_funded,
                "state_funded_year": 2025 if state_funded else None,
            },
        )
        if created:
            for index, (level, code) in enumerate(areas):
                territory = territories[level].objects.get(code=code) if code else None
                InterventionArea.for_territory(
                    territory, is_main=index == 0, organization=organization
                ).save()
        organizations[name] = organization
    assert all(o.category in OrganizationCategory.values for o in organizations.values())
    return organizations


def _load_users(organizations):
    """Create the role accounts (returned, to be printed) and a few more people."""
    charter = CharterVersion.objects.current()
    accounts = [
        _get_or_create_user(
            _role_email(role),
            role,
            first_name,
            last_name,
            position,
            organizations[organization],
            area,
            topics,
            charter,
        )
        for role, first_name, last_name, position, organization, area, topics in DEMO_USERS
    ]
    for first_name, last_name, position, organization, topics in EXTRA_USERS:
        email = normalize_name(f"{first_name}.{last_name}").replace(" ", "-") + "@demo.test"
        _get_or_create_user(
            email,
            organizations[organization].type.default_role,
            first_name,
            last_name,
            position,
            organizations[organization],
            None,
            topics,
            charter,
        )
    return accounts


def _get_or_create_user(
    email, role, first_name, last_name, position, organization, area, topics, charter
):
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "position": position,
            "role": role,
            "organization": organization,
            "expertise_topics": topics,
            "status": UserStatus.ACTIVE,
            "is_staff": role == Role.NATIONAL_ADMIN,
            "is_superuser": role == Role.NATIONAL_ADMIN,
            "charter_version_accepted": charter.version if charter else None,
            "charter_accepted_at": timezone.now() if charter else None,
        },
    )
    if role in SECOND_FACTOR_ROLES and not has_second_factor(user):
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user,
            name="démonstration",
            key=base64.b32decode(DEMO_TOTP_SECRET).hex(),
            confirmed=True,
        )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if area:
            level, code = area
            territory = {"department": Department, "region": Region}[level].objects.get(code=code)
            InterventionArea.for_territory(territory, is_main=True, user=user).save()
    return user
