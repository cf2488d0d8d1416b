"""The shared email task moved from `cms.tasks` to `core.tasks`: queued rows follow it.

Tasks are stored with the dotted path of their function; rows enqueued before the move (retries
waiting, emails not yet sent) would otherwise fail to import on the worker.
"""

from django.db import migrations

MOVES = {"cms.tasks.send_email": "core.tasks.send_email"}


def forwards(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in MOVES.items():
        DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def backwards(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in MOVES.items():
        DBTaskResult.objects.filter(task_path=new).update(task_path=old)


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
