"""Demo editorial content: legal pages, charter, guides, FAQ (the seeds' « idées reçues »),
statistics, contact and report pages, the main menu and the home page's blocks.

Idempotent: a page is looked up by its slug under the home page and never overwritten (an editor
may have changed it); settings are filled only when empty.
"""

from django.core.management.base import CommandError
from wagtail.models import PageViewRestriction, Site

from cms.models import (
    CharterPage,
    ContactPage,
    ContactSettings,
    ContentPage,
    FaqPage,
    FooterLinks,
    GuideIndexPage,
    GuidePage,
    HomePage,
    MainMenu,
    MainMenuItem,
    ReportSitePage,
    StatisticsPage,
)

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
        "</p><h2>Formulaires publics</h2><p>Les messages du formulaire de contact et les "
        "signalements de sites sont transmis aux administrateurs concernés et conservés pour "
        "y répondre.</p>",
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

# The « idées reçues » (seeds/000): question, short answer, answer.
FAQ_MYTHS = [
    (
        "« C’est la plateforme de la Dihal »",
        "En partie, mais pas que…",
        "La plateforme a certes été créée par la Dihal qui en reste l’administrateur national, le "
        "responsable du développement et le garant de l’intégrité, mais elle est conçue pour tous "
        "les utilisateurs et utilisatrices, qu’ils ou qu’elles soient dans les services de l’État, "
        "les collectivités territoriales, les associations, ou même des citoyens concernés ou des "
        "habitants des bidonvilles. C’est la plateforme que chacune et chacun utilise pour ses "
        "usages et ses besoins propres.",
    ),
    (
        "« C’est la plateforme des campements roms »",
        "Sûrement pas !",
        "Il faut d’abord rappeler qu’en France, tout comptage concernant des personnes sur une "
        "base ethnique ou culturelle est interdit. Ensuite, si la plateforme a été développée dans "
        "le cadre de la politique des résorptions des bidonvilles où vivent des citoyens européens "
        "intracommunautaires (en référence à l’instruction du gouvernement du 25 janvier 2018), "
        "elle peut être utilisée pour d’autres publics, sans exclusive.",
    ),
    (
        "« La police se branche sur la plateforme pour accélérer les évacuations »",
        "Non !",
        "En aucun cas la plateforme n’est un facteur de multiplication des évacuations. Elle est "
        "développée dans un objectif de résorption, sans réinstallation, en proposant aux "
        "habitants des solutions de relogement adaptées à leur situation. Tout nouvel utilisateur "
        "signe une charte qui rappelle cet objectif de résorption. Y compris les services de "
        "police qui y ont accès. Et si, avant une évacuation prévue, ceux-ci vont y chercher des "
        "informations, c’est pour mieux la préparer de concert avec l’ensemble des parties "
        "prenantes sur les sites.",
    ),
    (
        "« Elle contient des données sensibles qui peuvent être mal utilisées »",
        "Non, et il existe des garde-fous",
        "La plateforme ne contient pas d’informations nominatives sur les habitants des "
        "bidonvilles. En outre, la Dihal et les administrateurs locaux assurent une veille des "
        "messages postés dans les journaux de site et jouent un rôle de modérateur, en cas de "
        "messages inappropriés (par exemple à caractère raciste ou personnel). Concernant la "
        "sécurité des données, la plateforme a fait l’objet d’une mise en conformité RGPD. "
        "L’équipe technique a mis en place des process d’homologation sécurité.",
    ),
    (
        "« C’est un service de géolocalisation des campements »",
        "En partie, mais c’est bien plus !",
        "La plateforme offre une cartographie, mais elle apporte beaucoup d’autres informations "
        "sur les sites : conditions de vie, nombre de personnes, actions et activités sur les "
        "sites… Elle propose également un espace d’entraide de type forum pour tous les "
        "utilisateurs de la plateforme, un annuaire de contacts et un espace de visualisation des "
        "données qui permet d’analyser en profondeur la situation d’un territoire et son évolution "
        "au fil du temps.",
    ),
    (
        "« À quoi bon l’utiliser ? La renseigner ne sert à rien »",
        "Faux !",
        "Certains utilisateurs ont parfois le sentiment que les informations qu’ils communiquent "
        "sur la plateforme ne seront pas lues. Il faut d’abord rappeler que partager une "
        "information sur les sites et les conditions de vie n’est jamais inutile pour une "
        "meilleure coordination des acteurs. Ensuite, l’équipe technique de la plateforme a mis "
        "en place un système d’information directe par messagerie électronique qui permet à "
        "chaque utilisateur concerné par une situation de recevoir toute nouvelle information "
        "l’intéressant. Enfin, la Dihal a mis en place une veille continue des informations "
        "critiques et peut intervenir directement auprès des responsables concernés quand c’est "
        "nécessaire.",
    ),
    (
        "« Il y a un manque de transparence sur les personnes qui ont un accès »",
        "Faux !",
        "L’annuaire de la plateforme recensant tous les utilisateurs au niveau national est "
        "ouvert à chacun d’entre eux en toute transparence. Cet annuaire a justement été conçu "
        "pour favoriser la mise en réseau. Les accès à la plateforme sont donnés par les "
        "administrateurs locaux ou nationaux, en fonction du territoire de référence des acteurs.",
    ),
    (
        "« Une association risque de perdre ses financements si elle ne l’utilise pas »",
        "Non !",
        "Les associations jouent un rôle essentiel en matière de résorption des bidonvilles. "
        "L’utilisation par elles de la plateforme est donc encouragée, d’autant plus lorsqu’il "
        "s’agit d’associations qui reçoivent des financements publics de l’État et dont l’action "
        "doit à ce titre faire l’objet d’un suivi. La Dihal fait signer aux associations recevant "
        "des crédits dédiés une charte pour une meilleure diffusion de la plateforme dans leurs "
        "pratiques. Mais il n’y a pas de sanction financière en cas de non-utilisation.",
    ),
]

FAQ_PLATFORM = [
    (
        "Qui peut accéder à la plateforme ?",
        "",
        "Les services de l’État, les collectivités territoriales, les associations et les autres "
        "acteurs de la résorption des bidonvilles. Chaque demande d’accès est examinée par les "
        "administrateurs du territoire concerné.",
    ),
    (
        "Les statistiques publiques permettent-elles de localiser un site ?",
        "Non.",
        "Les statistiques publiques sont agrégées par département et par année. Les petits "
        "effectifs (moins de 10 personnes ou de 3 sites) sont masqués (secret statistique).",
    ),
]

GUIDES = [
    (
        "guide-administrateurs-locaux",
        "Guide de l’administrateur local",
        "Valider les demandes d’accès, gérer les comptes et modérer les journaux de votre "
        "territoire.",
        True,  # reserved for logged-in users
        [
            (
                "paragraph",
                "<h2>Votre rôle</h2><p>L’administrateur local valide les demandes d’accès de son "
                "département, accompagne les nouveaux utilisateurs et veille au respect de la "
                "charte dans les journaux de site.</p>",
            ),
            (
                "table",
                {
                    "caption": "Les délais de traitement d’une demande d’accès",
                    "headers": ["Étape", "Délai", "Rappel"],
                    "rows": [
                        {"cells": ["Demande reçue", "—", "—"]},
                        {"cells": ["Décision", "Sous 3 jours", "Rappel à 3 et 10 jours"]},
                        {"cells": ["Activation du compte", "8 jours", "Rappel à 5 jours"]},
                    ],
                },
            ),
            (
                "callout",
                {
                    "title": "Modération",
                    "text": "Un message à caractère raciste ou personnel est masqué, avec un motif "
                    "envoyé à son auteur.",
                },
            ),
        ],
    ),
    (
        "declarer-une-action",
        "Déclarer une action de résorption",
        "Pas à pas : renseigner une action, ses pilotes, ses opérateurs et ses indicateurs.",
        False,
        [
            (
                "paragraph",
                "<h2>Avant de commencer</h2><p>Une action (ou dispositif) réunit des objectifs, "
                "des dates, des pilotes et des opérateurs. Elle peut concerner un ou plusieurs "
                "sites.</p>",
            ),
            (
                "accordion",
                {
                    "title": "Les étapes",
                    "items": [
                        {
                            "title": "1. Décrire l’action",
                            "content": "<p>Nom, objectifs, date de début et thématiques.</p>",
                        },
                        {
                            "title": "2. Choisir les pilotes et les opérateurs",
                            "content": "<p>Les pilotes sont des utilisateurs ; les opérateurs "
                            "sont des structures, dont une principale.</p>",
                        },
                        {
                            "title": "3. Renseigner les indicateurs",
                            "content": "<p>Chaque année : personnes, ménages, femmes, mineurs, "
                            "et indicateurs par thématique.</p>",
                        },
                    ],
                },
            ),
            (
                "video",
                {
                    "title": "Déclarer une action en 4 minutes",
                    "url": "https://video.example.org/declarer-une-action",
                    "duration": "4 min",
                    "transcript": "La vidéo montre l’écran de création d’une action, champ par "
                    "champ, puis l’ajout des indicateurs annuels.",
                },
            ),
        ],
    ),
    (
        "renseigner-un-site",
        "Renseigner un site et ses conditions de vie",
        "Les informations utiles sur un site, et comment les tenir à jour.",
        False,
        [
            (
                "paragraph",
                "<h2>Les informations d’un site</h2><ul><li>sa localisation et son "
                "installation ;</li><li>sa population (sans aucune donnée nominative ni "
                "ethnique) ;</li><li>ses conditions de vie : eau, sanitaires, électricité, "
                "déchets, nuisibles, prévention des incendies.</li></ul>",
            ),
            (
                "callout",
                {
                    "title": "Un site complet",
                    "text": "Un site est complet quand son adresse, le type de propriétaire, le "
                    "diagnostic social, la population, les origines et les accès à l’eau, à "
                    "l’électricité et aux déchets sont connus.",
                },
            ),
        ],
    ),
]


def _child(home, model, slug, **fields):
    page = model.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


def _faq_questions(items):
    return [
        {"question": question, "short_answer": short, "answer": f"<p>{answer}</p>"}
        for question, short, answer in items
    ]


def load_demo(stdout=None) -> dict:
    """Create the demo editorial content; returns the pages by key."""
    home = HomePage.objects.first()
    if home is None:
        raise CommandError("No home page: run the migrations first.")
    site = Site.objects.get(is_default_site=True)
    pages = {}

    links = FooterLinks.for_site(site)
    for slug, title, body, link_field in LEGAL_PAGES:
        page = _child(home, ContentPage, slug, title=title, body=body)
        setattr(links, link_field, page)
        pages[link_field] = page
    links.save()

    pages["charter"] = _child(
        home,
        CharterPage,
        "charte-d-engagement",
        title="Charte d’engagement",
        intro="Chaque utilisateur de la plateforme signe cette charte : l’objectif est la "
        "résorption des bidonvilles, pas l’évacuation.",
    )
    pages["statistics"] = _child(
        home,
        StatisticsPage,
        "statistiques",
        title="Statistiques",
        intro="Les chiffres de la résorption des bidonvilles, mis à jour chaque heure à partir "
        "des informations partagées sur la plateforme.",
        body="<p>Les effectifs sont ceux renseignés par les acteurs sur chaque site. Une "
        "personne relogée est comptée l’année de fermeture de son site.</p>",
    )
    guides = _child(
        home,
        GuideIndexPage,
        "guides",
        title="Guides d’utilisation",
        intro="Des guides pour prendre en main la plateforme.",
    )
    pages["guides"] = guides
    for slug, title, intro, reserved, body in GUIDES:
        guide = _child(guides, GuidePage, slug, title=title, intro=intro, body=body)
        if reserved and not PageViewRestriction.objects.filter(page=guide).exists():
            PageViewRestriction.objects.create(
                page=guide, restriction_type=PageViewRestriction.LOGIN
            )
        pages[slug] = guide
    pages["faq"] = _child(
        home,
        FaqPage,
        "questions-frequentes",
        title="Questions fréquentes",
        intro="Originale et innovante, la plateforme peut susciter des interrogations et même "
        "des inquiétudes. Quelques idées reçues, lues et entendues, passées au crible.",
        body=[
            ("group", {"title": "Idées reçues", "questions": _faq_questions(FAQ_MYTHS)}),
            ("group", {"title": "La plateforme", "questions": _faq_questions(FAQ_PLATFORM)}),
        ],
    )
    pages["contact"] = _child(
        home,
        ContactPage,
        "contact",
        title="Nous contacter",
        intro="Une question, un besoin d’aide, une information ? Écrivez-nous : votre message "
        "est transmis à l’équipe nationale ou aux administrateurs de votre département.",
    )
    pages["report"] = _child(
        home,
        ReportSitePage,
        "signaler-un-site",
        title="Signaler un site",
        intro="Vous avez connaissance d’un bidonville ou d’un grand squat ? Signalez-le aux "
        "administrateurs du département, qui vérifieront l’information.",
        body="<p>Votre signalement ne crée rien sur la plateforme : il est examiné par les "
        "administrateurs du département. N’indiquez aucun nom d’habitant.</p>",
    )

    _home_blocks(home, pages)
    _main_menu(site, pages)
    contact_settings = ContactSettings.for_site(site)
    if not contact_settings.national_team_emails:
        contact_settings.national_team_emails = "equipe.nationale@demo.test"
        contact_settings.save()
    if stdout is not None:
        stdout.write(f"Pages éditoriales : {len(pages)}")
    return pages


def _home_blocks(home, pages):
    if home.content:
        return
    home.content = [
        (
            "key_figures",
            {"title": "La résorption en chiffres", "statistics_page": pages["statistics"]},
        ),
        (
            "tiles",
            {
                "title": "Découvrir la plateforme",
                "tiles": [
                    _tile(
                        "Statistiques",
                        "Les chiffres publics, par année et par département",
                        pages["statistics"],
                    ),
                    _tile("Guides", "Prendre en main la plateforme", pages["guides"]),
                    _tile(
                        "Questions fréquentes", "Les idées reçues passées au crible", pages["faq"]
                    ),
                    _tile("Nous contacter", "Une question, un besoin d’aide", pages["contact"]),
                    _tile("Signaler un site", "Un bidonville ou un grand squat", pages["report"]),
                    {
                        "title": "Demander un accès",
                        "description": "Vous agissez pour la résorption des bidonvilles",
                        "link": {
                            "label": "Demander un accès",
                            "page": None,
                            "url": "/demande-acces/",
                        },
                    },
                ],
            },
        ),
        (
            "callout",
            {
                "title": "Une charte d’engagement",
                "text": "Chaque utilisateur signe la charte d’engagement : l’objectif est la "
                "résorption, pas l’évacuation.",
                "link": {"label": "Lire la charte", "page": pages["charter"], "url": ""},
            },
        ),
    ]
    home.save_revision().publish()


def _tile(title, description, page):
    return {
        "title": title,
        "description": description,
        "link": {"label": title, "page": page, "url": ""},
    }


def _main_menu(site, pages):
    menu = MainMenu.for_site(site)
    if menu.items.exists():
        return
    for order, (label, key) in enumerate(
        [
            ("Statistiques", "statistics"),
            ("Guides", "guides"),
            ("Questions fréquentes", "faq"),
            ("Contact", "contact"),
        ]
    ):
        MainMenuItem.objects.create(menu=menu, sort_order=order, label=label, link_page=pages[key])
