"""Create the forums of "Entraide", one per theme. Idempotent: an existing forum (same name) is
kept as it is, so administrators may edit descriptions without the command undoing it."""

from django.core.management.base import BaseCommand
from django.db import transaction
from machina.core.db.models import get_model

Forum = get_model("forum", "Forum")

# (name, description): the themes of shared/domain.md §7, in French (user-facing data).
THEME_FORUMS = [
    ("Santé", "Accès aux soins, vaccination, PMI, médiation en santé."),
    ("Scolarisation", "Inscription et assiduité scolaires, transport, cantine, fournitures."),
    ("Emploi", "Insertion professionnelle, formation, accompagnement vers l’emploi."),
    ("Logement", "Hébergement, accès au logement, solutions de relogement."),
    ("Sécurisation", "Sécurité des sites : incendie, électricité, eau, évacuation des déchets."),
    ("Gestion des sites", "Diagnostics, procédures, coordination des acteurs sur les sites."),
    ("La plateforme", "Questions et suggestions sur l’utilisation de Résorption-bidonvilles."),
]


class Command(BaseCommand):
    help = "Create the forums of the Entraide board, one per theme (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        for name, description in THEME_FORUMS:
            if Forum.objects.filter(name=name, parent__isnull=True).exists():
                continue
            Forum.objects.create(name=name, description=description, type=Forum.FORUM_POST)
            created += 1
        self.stdout.write(f"Entraide: {created} forum(s) created, {len(THEME_FORUMS)} themes.")
