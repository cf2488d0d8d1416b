from django.db import migrations

TAGS = [
    "Conditions de vie",
    "Accompagnement social",
    "Mouvement de population",
    "Incendie",
    "Visite sur site",
    "Canicule",
    "Scolarisation",
    "Santé",
    "Procédure judiciaire",
    "Résorption",
]


def create_tags(apps, schema_editor):
    Tag = apps.get_model("journal", "Tag")
    for name in TAGS:
        Tag.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [migrations.RunPython(create_tags, migrations.RunPython.noop)]
