"""Load the demo data. Idempotent: running it twice changes nothing the second time."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Site

from cms.models import ContentPage, FooterLinks, HomePage
from directory.enums import Role, UserStatus
from directory.models import User

DEMO_PASSWORD = "demo-resorption-2026"

# One account per role (no real people). Emails use the reserved .test domain.
DEMO_USERS = [
    (Role.NATIONAL_ADMIN, "Nadia", "Nationale", "Administratrice nationale, Dihal"),
    (Role.LOCAL_ADMIN, "Luc", "Local", "Administrateur local, préfecture du Rhône"),
    (Role.CORRESPONDANT, "Claire", "Correspondante", "Chargée de mission, DDETS du Nord"),
    (Role.PARTENAIRE_INSTITUTIONNEL, "Paul", "Partenaire", "Chef de service, CCAS de Lille"),
    (Role.OPERATEUR, "Olga", "Operatrice", "Coordinatrice, association Horizons"),
    (Role.ACTEUR_NATIONAL, "Antoine", "National", "Chargé de plaidoyer, fédération nationale"),
    (Role.INTERVENANT, "Inès", "Intervenante", "Médiatrice santé"),
    (Role.OBSERVATEUR_EXTERNE, "Omar", "Observateur", "Chercheur associé"),
]

LEGAL_PAGES = [
    (
        "mentions-legales",
        "Mentions légales",
        "<h2>Éditeur</h2><p>Délégation interministérielle à l’hébergement et à l’accès au "
        "logement (Dihal).</p><h2>Hébergement</h2><p>Renseigné par l’exploitant de "
        "l’instance.</p>",
        "legal_notice",
    ),
    (
        "accessibilite",
        "Déclaration d’accessibilité",
        "<p>L’État s’engage à rendre ses services numériques accessibles, conformément à "
        "l’article 47 de la loi n° 2005-102 du 11 février 2005.</p><h2>État de conformité</h2>"
        "<p>La plateforme n’a pas encore fait l’objet d’un audit de conformité au RGAA : elle est "
        "déclarée non conforme.</p>",
        "accessibility",
    ),
    (
        "donnees-personnelles",
        "Données personnelles",
        "<p>La plateforme ne contient aucune donnée nominative sur les habitants des sites. "
        "Les données des comptes utilisateurs servent uniquement au fonctionnement du service."
        "</p>",
        "privacy",
    ),
    (
        "conditions-generales-d-utilisation",
        "Conditions générales d’utilisation",
        "<p>L’utilisation de la plateforme est réservée aux acteurs de la résorption des "
        "bidonvilles ayant signé la charte d’engagement.</p>",
        "terms",
    ),
]


class Command(BaseCommand):
    help = "Create the demo accounts and content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Allow loading demo data with DEBUG off."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo data is for development: use --force to load it anyway.")
        users = self.load_users()
        self.load_pages()
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        self.stdout.write(f"\nComptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
        for user in users:
            self.stdout.write(f"  {user.get_role_display():<28} {user.email}")
        self.stdout.write("  (l’administratrice nationale accède aussi à /admin/)\n")

    def load_users(self):
        users = []
        for role, first_name, last_name, position in DEMO_USERS:
            email = f"{role.value.replace('_', '.')}@demo.test"
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "position": position,
                    "role": role,
                    "status": UserStatus.ACTIVE,
                    "is_staff": role == Role.NATIONAL_ADMIN,
                    "is_superuser": role == Role.NATIONAL_ADMIN,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            users.append(user)
        return users

    def load_pages(self):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("No home page: run the migrations first.")
        links = FooterLinks.for_site(Site.objects.get(is_default_site=True))
        for slug, title, body, link_field in LEGAL_PAGES:
            page = ContentPage.objects.child_of(home).filter(slug=slug).first()
            if page is None:
                page = ContentPage(slug=slug, title=title, body=body)
                home.add_child(instance=page)
                page.save_revision().publish()
            setattr(links, link_field, page)
        links.save()
