from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable", "platform_shared_cache", database=schema_editor.connection.alias
    )


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS platform_shared_cache")


class Migration(migrations.Migration):
    """The database cache shared by all web workers (settings.CACHES["shared"])."""

    dependencies = [("cms", "0002_create_homepage")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
