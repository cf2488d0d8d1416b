from django.db import migrations

BODY = (
    "<p>En utilisant la plateforme Résorption-bidonvilles, je m’engage à :</p>"
    "<ul>"
    "<li>agir dans l’objectif de la <b>résorption</b> des bidonvilles et des grands squats, en "
    "recherchant des solutions d’accompagnement et de relogement pour leurs habitants, et non "
    "leur évacuation sans solution ;</li>"
    "<li>ne saisir <b>aucune donnée nominative</b> sur les habitants des sites, ni aucune donnée "
    "relative à leur origine ethnique ;</li>"
    "<li>ne partager les informations sensibles (propriétaires, procédures judiciaires, messages "
    "privés) qu’avec les personnes habilitées à les connaître ;</li>"
    "<li>publier des messages respectueux des personnes, sans propos racistes, discriminatoires "
    "ou à caractère personnel ;</li>"
    "<li>tenir à jour les informations des sites sur lesquels j’interviens.</li>"
    "</ul>"
    "<p>Les administrateurs nationaux et locaux veillent au respect de cette charte et peuvent "
    "masquer un message ou désactiver un compte qui ne la respecterait pas.</p>"
)


def create_charter(apps, schema_editor):
    CharterVersion = apps.get_model("directory", "CharterVersion")
    CharterVersion.objects.get_or_create(
        version=1, defaults={"title": "Charte d’engagement", "body": BODY}
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_organization_types")]

    operations = [migrations.RunPython(create_charter, migrations.RunPython.noop)]
