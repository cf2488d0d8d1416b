"""Synthetic data, forum part: ~3,000 posts at scale 1 in the theme forums of « Entraide »:
questions with their answers, some solved (see `core.dataset`). Written in bulk, then machina's
counters (posts per topic, last post, topics per forum) are brought up to date once."""

from django.utils.text import slugify
from machina.core.db.models import get_model

from core.dataset import Generation, step, update_rows
from directory.dataset import generated_users
from directory.enums import Topic as Theme
from forum.demo import THEME_FORUMS, forums_by_name

QUESTIONS = [
    ("Santé", [Theme.HEALTH], "Accès à une PMI pour les enfants d’un site"),
    ("Santé", [Theme.HEALTH, Theme.MEDIATION], "Médiation en santé : quel financement ?"),
    ("Scolarisation", [Theme.SCHOOL], "Transport scolaire depuis un site éloigné"),
    ("Scolarisation", [Theme.SCHOOL], "Inscription scolaire sans domiciliation"),
    ("Emploi", [Theme.EMPLOYMENT], "Accompagnement vers l’emploi des jeunes adultes"),
    ("Logement", [Theme.HOUSING], "Intermédiation locative pour une famille nombreuse"),
    ("Logement", [Theme.HOUSING, Theme.HUMANITARIAN], "Hébergement d’urgence en hiver"),
    ("Sécurisation", [Theme.SECURITY], "Prévenir les incendies sur un terrain"),
    ("Sécurisation", [Theme.SECURITY], "Raccordement provisoire à l’eau"),
    ("Gestion des sites", [Theme.DIAGNOSIS], "Conduire un diagnostic social"),
    ("Gestion des sites", [Theme.STEERING], "Organiser un comité de suivi départemental"),
    ("La plateforme", [Theme.OTHER], "Exporter les sites de mon département"),
]
DETAILS = [
    "Nous cherchons des retours d’expérience d’autres départements.",
    "La situation se bloque depuis plusieurs semaines : comment avez-vous fait ?",
    "Quels partenaires avez-vous mobilisés, et avec quel calendrier ?",
]
ANSWERS = [
    "Chez nous, la **coordination avec le CCAS** a débloqué la situation.",
    "Nous avons sollicité la DDETS, qui a réuni les partenaires en deux semaines.",
    "Une convention avec l’association locale a bien fonctionné.",
    "Pensez à l’ARS, qui finance parfois ce type d’action.",
    "Même difficulté ici ; je suis preneur des réponses.",
    "Le guide publié sur la plateforme donne une trame utile.",
]


@step(50, "Entraide")
def generate_forum(generation: Generation) -> None:
    Topic = get_model("forum_conversation", "Topic")  # noqa: N806
    Post = get_model("forum_conversation", "Post")  # noqa: N806
    rng = generation.rng("forum")
    forums = forums_by_name()
    users = list(generated_users().active().order_by("pk"))
    if not users:
        return
    wanted_posts = generation.scaled(3000, minimum=2)
    bar = generation.progress("Entraide", wanted_posts)
    topics, threads = [], []
    posts_planned = 0
    number = 0
    while posts_planned < wanted_posts:
        number += 1
        forum_name, themes, subject = rng.choice(QUESTIONS)
        subject = f"{subject} ({number})"
        answers = rng.choices([0, 1, 2, 3, 4, 6], [2, 4, 4, 3, 2, 1])[0]
        asked = rng.uniform(1, 900)
        author = rng.choice(users)
        topics.append(
            Topic(
                forum=forums[forum_name],
                poster=author,
                subject=subject,
                slug=slugify(subject, allow_unicode=True),
                type=Topic.TOPIC_POST,
                status=Topic.TOPIC_UNLOCKED,
                approved=True,
                tags=[str(theme) for theme in themes],
            )
        )
        moments = [asked, *sorted((rng.uniform(0, asked) for _ in range(answers)), reverse=True)]
        threads.append(
            (
                author,
                [
                    (author if i == 0 else rng.choice(users), generation.moment(days, rng))
                    for i, days in enumerate(moments)
                ],
                rng.random() < 0.4 and answers > 0,
            )
        )
        posts_planned += 1 + answers
    Topic.objects.bulk_create(topics, batch_size=1000)
    posts, first_last = [], []
    for topic, (_author, thread, _solved) in zip(topics, threads, strict=True):
        start = len(posts)
        for index, (poster, moment) in enumerate(thread):
            posts.append(
                Post(
                    topic=topic,
                    poster=poster,
                    subject=topic.subject if index == 0 else f"Re: {topic.subject}",
                    content=rng.choice(DETAILS) if index == 0 else rng.choice(ANSWERS),
                    approved=True,
                    created=moment,
                    updated=moment,
                )
            )
            bar.advance()
        first_last.append((start, len(posts) - 1))
    moments = [post.created for post in posts]
    Post.objects.bulk_create(posts, batch_size=1000)
    for post, moment in zip(posts, moments, strict=True):  # the insert set them to now
        post.created = post.updated = moment
    update_rows(Post, posts, ["created", "updated"])
    for topic, (author, thread, solved), (first, last) in zip(
        topics, threads, first_last, strict=True
    ):
        topic.first_post, topic.last_post = posts[first], posts[last]
        topic.posts_count = last - first + 1
        topic.last_post_on = thread[-1][1]
        topic.created = topic.updated = thread[0][1]
        if solved:
            topic.solved_post = posts[first + 1]
            topic.solved_at = thread[-1][1]
            topic.solved_by = author
    update_rows(
        Topic,
        topics,
        [
            "first_post",
            "last_post",
            "posts_count",
            "last_post_on",
            "created",
            "updated",
            "solved_post",
            "solved_at",
            "solved_by",
        ],
        batch_size=1000,
    )
    for name, _description in THEME_FORUMS:
        forums[name].update_trackers()
    bar.finish(f"{len(topics)} questions, {len(posts)} messages")
    generation.record("forum posts", len(posts))
