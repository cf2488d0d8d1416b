"""Synthetic data, journal part: ~20,000 messages at scale 1 on the generated sites, written by
the accounts of their department, with audiences, tags, a few attachments, edits, reports and
hidden messages (see `core.dataset`)."""

from django.core.files.base import ContentFile

from core.dataset import Generation, step, update_rows
from core.storage import private_storage
from directory.dataset import readers_by_department
from directory.enums import Role
from directory.models import Organization
from journal import markup
from journal.demo import DEMO_PDF
from journal.enums import Audience, EntryState, ReportStatus
from journal.models import Attachment, Entry, EntryRevision, Report, Tag

OPENINGS = [
    "Passage sur le site ce matin.",
    "Point d’étape après la réunion de coordination.",
    "Visite de l’équipe de médiation.",
    "Retour de la maraude de la semaine.",
    "Compte rendu du comité de suivi.",
    "Appel de la mairie ce jour.",
]
FACTS = [
    "Le point d’eau est de nouveau hors service.",
    "Deux familles sont arrivées depuis la dernière visite.",
    "Les bennes n’ont pas été vidées depuis deux semaines.",
    "Trois enfants ont été inscrits à l’école du quartier.",
    "La PMI passera **mardi** pour les vaccinations.",
    "Un départ de feu a été maîtrisé sans blessé.",
    "Le diagnostic social avance : la moitié des ménages ont été rencontrés.",
    "Une solution d’hébergement a été proposée à une famille.",
    "Les sanitaires mobiles ont été installés.",
    "Des rats ont été signalés près des habitations.",
    "La distribution alimentaire a lieu le jeudi.",
    "Le propriétaire a déposé une plainte.",
]
NEXT_STEPS = [
    "- relancer le gestionnaire du réseau d’eau\n- prévoir une visite conjointe",
    "Prochain point au comité du mois prochain.",
    "À suivre avec le CCAS.",
    "Merci de signaler tout changement.",
    "",
]
WRITERS = {Role.INTERVENANT: 4, Role.OPERATEUR: 4, Role.CORRESPONDANT: 2}


def _text(rng) -> str:
    """A message from a few hundred combinations (each rendered once, see `_html`)."""
    first = rng.randrange(len(FACTS))
    facts = [FACTS[first]] + ([FACTS[(first + 5) % len(FACTS)]] if rng.random() < 0.4 else [])
    parts = [rng.choice(OPENINGS), " ".join(facts), rng.choice(NEXT_STEPS)]
    return "\n\n".join(part for part in parts if part)


def _html(text: str, rendered: dict) -> str:
    if text not in rendered:
        rendered[text] = markup.render(text)
    return rendered[text]


@step(40, "Journal")
def generate_journal(generation: Generation) -> None:
    rng = generation.rng("journal")
    readers = readers_by_department(generation)
    tags = list(Tag.objects.filter(is_active=True).order_by("name"))
    organisations = {}
    for pk, department in (
        Organization.objects.filter(
            intervention_areas__is_main=True, intervention_areas__department__isnull=False
        )
        .values_list("pk", "intervention_areas__department_id")
        .order_by("pk")
    ):
        organisations.setdefault(department, []).append(pk)
    sites = [site for site in generation.sites if readers.get(site.commune.department_id)]
    if not sites:
        return
    # Open sites get most of the messages, recent ones too.
    weights = [4.0 if site.closed_at is None else 0.6 for site in sites]
    wanted = generation.scaled(20000)
    chosen = rng.choices(sites, weights=weights, k=wanted)
    bar = generation.progress("Messages de journal", wanted)
    entries, plans, rendered = [], [], {}
    for site in chosen:
        department = site.commune.department_id
        authors = readers[department]
        author = rng.choices(authors, weights=[WRITERS.get(u.role, 1) for u in authors])[0]
        end = (generation.today - (site.closed_at or generation.today)).days
        start = (generation.today - site.declared_at).days
        days = (
            min(start, end + rng.expovariate(1 / 90))
            if site.closed_at is None
            else (rng.uniform(end, start))
        )
        draw = rng.random()
        audience = (
            Audience.SITE_READERS
            if draw < 0.8
            else Audience.STATE_SERVICES
            if draw < 0.9
            else Audience.CHOSEN
        )
        text = _text(rng)
        entry = Entry(
            site=site,
            author=author,
            text=text,
            text_html=_html(text, rendered),
            audience=audience,
            created_at=generation.moment(days, rng),
        )
        entries.append(entry)
        plans.append(
            (
                rng.sample(tags, k=min(len(tags), rng.choices([0, 1, 2], [3, 5, 2])[0])),
                rng.sample(organisations.get(department, []), k=1)
                if audience == Audience.CHOSEN and organisations.get(department)
                else [],
                rng.random(),
                rng.choice(authors),
            )
        )
        bar.advance()
    Entry.objects.bulk_create(entries, batch_size=1000)
    tag_rows, audience_rows, attachments, revisions, reports, changed = [], [], [], [], [], []
    for number, (entry, (entry_tags, chosen_orgs, draw, other)) in enumerate(
        zip(entries, plans, strict=True)
    ):
        tag_rows += [Entry.tags.through(entry_id=entry.pk, tag_id=tag.pk) for tag in entry_tags]
        audience_rows += [
            Entry.audience_organizations.through(entry_id=entry.pk, organization_id=pk)
            for pk in chosen_orgs
        ]
        if not chosen_orgs and entry.audience == Audience.CHOSEN:
            entry.audience = Audience.SITE_READERS
            changed.append(entry)
        if draw < 0.015:
            name = f"journal/synthetique/{generation.seed}-{number}.pdf"
            attachments.append(
                Attachment(
                    entry=entry,
                    file=private_storage().save(name, ContentFile(DEMO_PDF)),
                    name="compte-rendu.pdf",
                    content_type="application/pdf",
                    size=len(DEMO_PDF),
                    created_at=entry.created_at,
                )
            )
        elif draw < 0.035:
            revisions.append(
                EntryRevision(
                    entry=entry,
                    text=entry.text.split("\n\n")[0],
                    tags=[tag.name for tag in entry_tags],
                    audience=entry.audience,
                    written_at=entry.created_at,
                    replaced_at=entry.created_at,
                    replaced_by=entry.author,
                )
            )
            entry.edited_at = entry.created_at
            changed.append(entry)
        elif draw < 0.04 and other.pk != entry.author_id:
            reports.append(
                Report(
                    entry=entry,
                    reporter=other,
                    reason="Ce message contient des informations trop précises.",
                    status=ReportStatus.OPEN,
                    created_at=entry.created_at,
                )
            )
        elif draw < 0.043:
            entry.state = EntryState.HIDDEN
            entry.hidden_reason = "Message hors sujet."
            entry.hidden_at = entry.created_at
            changed.append(entry)
    Entry.tags.through.objects.bulk_create(tag_rows, batch_size=2000)
    Entry.audience_organizations.through.objects.bulk_create(audience_rows, batch_size=2000)
    Attachment.objects.bulk_create(attachments, batch_size=500)
    EntryRevision.objects.bulk_create(revisions, batch_size=1000)
    Report.objects.bulk_create(reports, batch_size=1000)
    update_rows(
        Entry,
        changed,
        ["audience", "edited_at", "state", "hidden_reason", "hidden_at"],
        batch_size=1000,
    )
    bar.finish(
        f"{len(entries)} messages, {len(attachments)} pièces jointes, {len(reports)} signalements"
    )
    generation.record("journal messages", len(entries))
    generation.entries = entries
