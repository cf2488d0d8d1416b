"""Demo data of "Entraide": one forum per theme, and, when the demo accounts exist (`load_demo`),
a few questions with answers in several themes, one of them solved. Idempotent: an existing forum
(same name) or question (same title) is left as it is."""

from django.db import transaction
from django.utils import timezone
from machina.core.db.models import get_model

from directory.enums import Topic as Theme
from directory.models import User
from forum.forum_conversation.signals import send_topic_changed

# (name, description): the themes of docs/domain.md#the-forum, in French (user-facing data).
THEME_FORUMS = [
    ("Santé", "Accès aux soins, vaccination, PMI, médiation en santé."),
    ("Scolarisation", "Inscription et assiduité scolaires, transport, cantine, fournitures."),
    ("Emploi", "Insertion professionnelle, formation, accompagnement vers l’emploi."),
    ("Logement", "Hébergement, accès au logement, solutions de relogement."),
    ("Sécurisation", "Sécurité des sites : incendie, électricité, eau, évacuation des déchets."),
    ("Gestion des sites", "Diagnostics, procédures, coordination des acteurs sur les sites."),
    ("La plateforme", "Questions et suggestions sur l’utilisation de Résorption-bidonvilles."),
]

# (forum, author, title, details, themes, [(author, answer)], index of the accepted answer)
DEMO_QUESTIONS = [
    (
        "Santé",
        "intervenant@demo.test",
        "Organiser une campagne de vaccination sur un site",
        "Nous souhaitons proposer la vaccination ROR aux enfants d’un site de 80 personnes. "
        "Quels partenaires avez-vous mobilisés ?",
        [Theme.HEALTH, Theme.MEDIATION],
        [
            (
                "operateur@demo.test",
                "Nous avons travaillé avec le **centre de vaccination départemental** et la PMI : "
                "ils se déplacent sur site si une médiatrice prépare la venue.",
            ),
            (
                "correspondant@demo.test",
                "Pensez aussi à l’ARS, qui finance parfois des actions de médiation en santé.",
            ),
        ],
        0,
    ),
    (
        "Scolarisation",
        "partenaire.institutionnel@demo.test",
        "Refus d’inscription scolaire faute de domiciliation",
        "Une mairie refuse d’inscrire trois enfants car la famille n’a pas de justificatif de "
        "domicile. Comment débloquer la situation ?",
        [Theme.SCHOOL],
        [
            (
                "local.admin@demo.test",
                "L’inscription ne peut pas être refusée pour ce motif : une attestation sur "
                "l’honneur suffit. Saisissez la DSDEN si le refus persiste.",
            ),
        ],
        None,
    ),
    (
        "Logement",
        "operateur@demo.test",
        "Solutions d’hébergement pour une famille nombreuse",
        "Une famille de huit personnes doit quitter un site. Quelles solutions avez-vous "
        "trouvées pour les familles nombreuses ?",
        [Theme.HOUSING, Theme.HUMANITARIAN],
        [
            (
                "intervenant@demo.test",
                "Les résidences sociales refusent souvent ; l’intermédiation locative a fonctionné "
                "chez nous, avec un bail glissant.",
            ),
        ],
        None,
    ),
]


def forums_by_name():
    Forum = get_model("forum", "Forum")  # noqa: N806
    forums = {}
    for name, description in THEME_FORUMS:
        forum = Forum.objects.filter(name=name, parent__isnull=True).first()
        if forum is None:
            forum = Forum.objects.create(name=name, description=description, type=Forum.FORUM_POST)
        forums[name] = forum
    return forums


@transaction.atomic
def load_demo(stdout=None) -> int:
    """Create the forums and the demo questions; returns how many questions were created."""
    Topic = get_model("forum_conversation", "Topic")  # noqa: N806
    Post = get_model("forum_conversation", "Post")  # noqa: N806
    forums = forums_by_name()
    emails = {question[1] for question in DEMO_QUESTIONS} | {
        email for question in DEMO_QUESTIONS for email, _ in question[5]
    }
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    created = 0
    for forum_name, author, title, details, themes, answers, accepted in DEMO_QUESTIONS:
        people = [author, *(email for email, _ in answers)]
        if any(email not in users for email in people):
            continue  # demo accounts not loaded (e.g. `load_forum_demo` alone)
        if Topic.objects.filter(subject=title).exists():
            continue
        forum = forums[forum_name]
        topic = Topic.objects.create(
            forum=forum,
            poster=users[author],
            subject=title,
            type=Topic.TOPIC_POST,
            status=Topic.TOPIC_UNLOCKED,
            approved=True,
            tags=[str(theme) for theme in themes],
        )
        Post.objects.create(
            topic=topic, poster=users[author], subject=title, content=details, approved=True
        )
        posts = [
            Post.objects.create(
                topic=topic,
                poster=users[email],
                subject=f"Re: {title}",
                content=text,
                approved=True,
            )  # fmt: skip
            for email, text in answers
        ]
        if accepted is not None:
            Topic.objects.filter(pk=topic.pk).update(
                solved_post=posts[accepted], solved_at=timezone.now(), solved_by=users[author]
            )
            send_topic_changed(topic)
        created += 1
    if stdout is not None:
        stdout.write(
            f"Entraide : {len(forums)} thèmes, {created} question(s) de démonstration créée(s)."
        )
    return created
