"""The group « Éditeurs nationaux »: Wagtail admin access for national admins who are not
superusers (see directory/services/wagtail_access.py), and the current national admins in it."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from directory.services.wagtail_access import EDITORS_GROUP_NAME, ensure_editors_group

APPS_WITH_PERMISSIONS = ["wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs", "directory", "journal", "cms"]


def create_group(apps, schema_editor):
    # On a fresh database the permissions are only created after all the migrations ran.
    for label in APPS_WITH_PERMISSIONS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    group = ensure_editors_group(apps)
    User = apps.get_model("directory", "User")
    admins = User.objects.filter(
        role="national_admin", is_active=True, status="active", is_superuser=False
    )
    for user in admins:
        user.groups.add(group)
    admins.update(is_staff=True)


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("directory", "User")
    User.objects.filter(groups__name=EDITORS_GROUP_NAME, is_superuser=False).update(is_staff=False)
    Group.objects.filter(name=EDITORS_GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_permission_exception_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("cms", "0004_public_side"),
        ("journal", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
