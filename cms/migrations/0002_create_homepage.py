from django.db import migrations

INTRO = (
    "La plateforme numérique de l’État pour agir ensemble, de l’installation d’un bidonville "
    "jusqu’à sa disparition : connaître les sites et les conditions de vie, coordonner les "
    "acteurs, rendre visibles les résultats."
)

BODY = (
    "<h2>Une plateforme pour résorber les bidonvilles</h2>"
    "<p>Lancée en 2019 par la Délégation interministérielle à l’hébergement et à l’accès au "
    "logement (Dihal), la plateforme Résorption-bidonvilles permet aux services de l’État, aux "
    "collectivités territoriales et aux associations de renseigner et suivre en temps réel "
    "l’implantation des bidonvilles et grands squats, les actions de résorption et leurs "
    "résultats.</p>"
    "<h2>Connaître, coordonner, montrer les résultats</h2>"
    "<ul>"
    "<li><b>Connaître</b> chaque site et les conditions de vie de ses habitants : accès à l’eau, "
    "à l’électricité, gestion des déchets, scolarisation des enfants.</li>"
    "<li><b>Coordonner</b> les acteurs grâce au journal des sites, aux actions, à l’annuaire et "
    "à l’entraide entre utilisateurs.</li>"
    "<li><b>Montrer les résultats</b> : tableaux de bord territoriaux et statistiques "
    "publiques.</li>"
    "</ul>"
    "<h2>Des données protégées</h2>"
    "<p>La plateforme ne contient aucune donnée nominative sur les habitants ni aucune donnée "
    "ethnique. Les informations sensibles ne sont visibles que des personnes habilitées, et "
    "chaque utilisateur signe une charte d’engagement : l’objectif est la résorption, pas "
    "l’évacuation.</p>"
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    # Replace Wagtail's default "Welcome" page (a plain Page) with the platform's home page.
    page_content_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_content_type, slug="home", depth=2).delete()

    homepage_content_type, __ = ContentType.objects.get_or_create(
        model="homepage", app_label="cms"
    )
    homepage = HomePage.objects.create(
        title="Résorption-bidonvilles",
        draft_title="Résorption-bidonvilles",
        slug="accueil",
        content_type=homepage_content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        intro=INTRO,
        body=BODY,
        live=True,
        locale=Locale.objects.order_by("pk").first(),
    )
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        site_name="Résorption-bidonvilles",
        root_page=homepage,
        is_default_site=True,
    )


def remove_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("cms.HomePage")
    HomePage.objects.filter(slug="accueil", depth=2).delete()
    ContentType.objects.filter(model="homepage", app_label="cms").delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial")]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
