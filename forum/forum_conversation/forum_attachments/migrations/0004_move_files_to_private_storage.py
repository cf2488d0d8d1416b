"""Move the attachments stored by machina under MEDIA_ROOT/machina/attachments/<uploaded name>
(public, guessable) to the private storage under random names, keeping the uploaded name (cleaned)
for display and the type read from the content. Idempotent: rows already moved are skipped."""

import os

from django.core.files.storage import default_storage
from django.db import migrations

LEGACY_PREFIX = "machina/attachments/"


def move_files(apps, schema_editor):
    from forum.forum_conversation.forum_attachments.models import attachment_path, private_storage
    from journal import files

    storage = private_storage()
    Attachment = apps.get_model("forum_attachments", "Attachment")
    for attachment in Attachment.objects.filter(file__startswith=LEGACY_PREFIX).iterator():
        legacy = attachment.file.name
        if not default_storage.exists(legacy):
            continue
        with default_storage.open(legacy, "rb") as handle:
            data = handle.read()
        kind = files.detect(data) if len(data) <= files.MAX_SIZE else None
        original = os.path.basename(legacy)
        if kind is not None:
            attachment.name = files.safe_name(original, kind)
            attachment.content_type = kind.content_type
        else:  # not a type accepted today: kept, downloaded as a plain file
            attachment.name = original[:120]
            attachment.content_type = "application/octet-stream"
        with default_storage.open(legacy, "rb") as handle:
            name = storage.save(attachment_path(attachment, original), handle)
        type(attachment).objects.filter(pk=attachment.pk).update(
            file=name, name=attachment.name, content_type=attachment.content_type
        )
        default_storage.delete(legacy)


class Migration(migrations.Migration):
    dependencies = [("forum_attachments", "0003_private_random_names")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True)]
