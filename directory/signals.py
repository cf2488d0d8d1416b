"""Signal receivers of the directory."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from directory.models import User
from directory.services.wagtail_access import sync_wagtail_access

#: Saving one of these fields may change who edits in the Wagtail admin.
ACCESS_FIELDS = frozenset({"role", "status", "is_active", "is_superuser", "is_staff"})


@receiver(post_save, sender=User, dispatch_uid="directory_sync_wagtail_access")
def keep_wagtail_access_in_sync(sender, instance, raw=False, update_fields=None, **kwargs):
    """A user becoming national admin gets the editors' group and `is_staff`; losing the role
    (or the account) takes both back. Saves of other fields only (last access…) are skipped."""
    if raw:
        return
    if update_fields is not None and not ACCESS_FIELDS & set(update_fields):
        return
    sync_wagtail_access(instance)
