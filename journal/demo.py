"""Demo journal entries on the demo sites (idempotent): one per audience, a reported one, and a
PDF attachment. Uses the demo accounts of `load_demo` (`<role with dots>@demo.test`)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions.models import Action
from directory.models import Organization, User
from journal import services
from journal.enums import Audience, ReportStatus
from journal.models import Entry, Report, Tag
from sitepages.models import SitePage

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# (commune code, author email, days ago, audience, chosen organisations, tags, text, attachment)
DEMO_ENTRIES = [
    (
        "69266",
        "intervenant@demo.test",
        12,
        Audience.SITE_READERS,
        [],
        ["Visite sur site", "Santé"],
        "Visite de l’équipe de médiation santé ce matin.\n\n"
        "- **deux enfants** à orienter vers la PMI\n"
        "- point d’eau toujours hors service",
        "compte-rendu-visite.pdf",
    ),
    (
        "69266",
        "partenaire.institutionnel@demo.test",
        6,
        Audience.STATE_SERVICES,
        [],
        ["Accompagnement social"],
        "Pour la préfecture et la DDETS : le CCAS peut accueillir trois ménages en "
        "hébergement d’urgence à partir du mois prochain.",
        None,
    ),
    (
        "69266",
        "partenaire.institutionnel@demo.test",
        3,
        Audience.SITE_READERS,
        [],
        ["Conditions de vie"],
        "Les bennes n’ont pas été vidées depuis deux semaines.",
        None,
    ),
    (
        "59350",
        "karim-benali@demo.test",
        4,
        Audience.CHOSEN,
        ["DDETS du Nord"],
        ["Mouvement de population"],
        "Pour la DDETS : une dizaine de personnes pourraient rejoindre le site la semaine "
        "prochaine. Pouvons-nous en parler au prochain comité ?",
        None,
    ),
    (
        "59350",
        "correspondant@demo.test",
        1,
        Audience.SITE_READERS,
        [],
        ["Canicule"],
        "Forte chaleur annoncée : distribution d’eau organisée **jeudi** avec la mairie.",
        None,
    ),
]

#: (index in DEMO_ENTRIES, reporter email, reason): an open report for the moderation queue
DEMO_REPORTS = [(2, "intervenant@demo.test", "Le ton du message peut être mal compris.")]


def _first_site(commune_code):
    return (
        SitePage.objects.live()
        .filter(commune_id=commune_code, closed_at__isnull=True)
        .order_by("path")
        .first()
    )


#: Messages in the journal of a demo action: (action name, author email, days ago, audience,
#: text). The author pilots the action (actions/demo.py).
DEMO_ACTION_ENTRIES = [
    (
        "Scolarisation des enfants de Villeurbanne",
        "sophie-martin@demo.test",
        3,
        Audience.SITE_READERS,
        "Réunion des partenaires de l’action : huit enfants inscrits à l’école du quartier, "
        "les transports scolaires restent à organiser.",
    ),
    (
        "Scolarisation des enfants de Villeurbanne",
        "sophie-martin@demo.test",
        1,
        Audience.STATE_SERVICES,
        "Pour la préfecture et la DDETS : deux familles attendent une réponse sur leur "
        "hébergement avant la rentrée.",
    ),
]


def _load_action_entries(now) -> int:
    created = 0
    for name, email, days, audience, text in DEMO_ACTION_ENTRIES:
        action = Action.objects.filter(name=name).first()
        author = User.objects.filter(email=email).first()
        if action is None or author is None:
            continue
        if Entry.objects.filter(action=action, text=text).exists():
            continue
        Entry.objects.create(
            action=action,
            author=author,
            text=text,
            audience=audience,
            created_at=now - datetime.timedelta(days=days),
        )
        created += 1
    return created


def load_demo(stdout=None) -> int:
    """Create the demo entries missing; return how many were created."""
    created = 0
    entries = []
    now = timezone.now()
    for commune, email, days, audience, chosen, tags, text, filename in DEMO_ENTRIES:
        site = _first_site(commune)
        author = User.objects.filter(email=email).first()
        if site is None or author is None:
            entries.append(None)
            continue
        entry = Entry.objects.filter(site=site, text=text).first()
        if entry is None:
            entry = Entry.objects.create(
                site=site,
                author=author,
                text=text,
                audience=audience,
                created_at=now - datetime.timedelta(days=days),
            )
            entry.tags.set(Tag.objects.filter(name__in=tags))
            entry.audience_organizations.set(Organization.objects.filter(name__in=chosen))
            if filename:
                services.add_attachments(
                    entry=entry, uploads=[SimpleUploadedFile(filename, DEMO_PDF)]
                )
            created += 1
        entries.append(entry)
    for index, email, reason in DEMO_REPORTS:
        entry, reporter = entries[index], User.objects.filter(email=email).first()
        if entry is not None and reporter is not None:
            Report.objects.get_or_create(
                entry=entry,
                reporter=reporter,
                status=ReportStatus.OPEN,
                defaults={"reason": reason},
            )
    created += _load_action_entries(now)
    if stdout is not None:
        stdout.write(f"Messages de journal de démonstration créés : {created}")
    return created
