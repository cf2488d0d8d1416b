from django.db import migrations

# (name, abbreviation, category, default role)
TYPES = [
    ("Préfecture", "", "administration", "correspondant"),
    ("Sous-préfecture", "", "administration", "correspondant"),
    ("Direction départementale de l’emploi, du travail et des solidarités", "DDETS", "administration", "correspondant"),
    ("Direction régionale de l’économie, de l’emploi, du travail et des solidarités", "DREETS", "administration", "correspondant"),
    ("Délégation interministérielle à l’hébergement et à l’accès au logement", "Dihal", "administration", "national_admin"),
    ("Ministère", "", "administration", "acteur_national"),
    ("Éducation nationale", "DSDEN", "administration", "partenaire_institutionnel"),
    ("Police ou gendarmerie", "", "administration", "observateur_externe"),
    ("Commune", "", "territorial_collectivity", "partenaire_institutionnel"),
    ("Intercommunalité", "EPCI", "territorial_collectivity", "partenaire_institutionnel"),
    ("Conseil départemental", "", "territorial_collectivity", "partenaire_institutionnel"),
    ("Conseil régional", "", "territorial_collectivity", "partenaire_institutionnel"),
    ("Centre communal d’action sociale", "CCAS", "public_establishment", "partenaire_institutionnel"),
    ("Agence régionale de santé", "ARS", "public_establishment", "partenaire_institutionnel"),
    ("Caisse d’allocations familiales", "CAF", "public_establishment", "partenaire_institutionnel"),
    ("France Travail", "", "public_establishment", "partenaire_institutionnel"),
    ("Association", "", "association", "operateur"),
    ("Fédération ou réseau national", "", "association", "acteur_national"),
    ("Bailleur social", "", "private_organization", "partenaire_institutionnel"),
    ("Organisme privé", "", "private_organization", "intervenant"),
    ("Université ou recherche", "", "other", "observateur_externe"),
    ("Autre", "", "other", "observateur_externe"),
]


def create_types(apps, schema_editor):
    OrganizationType = apps.get_model("directory", "OrganizationType")
    for name, abbreviation, category, default_role in TYPES:
        OrganizationType.objects.update_or_create(
            name=name,
            defaults={
                "abbreviation": abbreviation,
                "category": category,
                "default_role": default_role,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
