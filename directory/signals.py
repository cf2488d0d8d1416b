"""Signal receivers of the directory."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from core.clientip import client_ip
from directory.models import SignInEvent, User
from directory.services.wagtail_access import sync_wagtail_access
from directory.sessions import end_sessions

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


@receiver(post_save, sender=User, dispatch_uid="directory_end_sessions")
def end_sessions_of_closed_or_rekeyed_accounts(sender, instance, raw=False, **kwargs):
    """A deactivated account loses every session (a later reactivation does not revive them);
    a new password ends the other sessions too (the one that changed it gets a new key right
    after, through `update_session_auth_hash`)."""
    if raw:
        return
    if instance.__dict__.pop("_password_replaced", False) or not instance.is_active:
        end_sessions(instance.pk)


# --- Sign-in log --------------------------------------------------------------------------------


def _client_ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="directory_sign_in_succeeded")
def record_sign_in(sender, request=None, user=None, **kwargs):
    if user is None or user.pk is None:
        return
    SignInEvent.objects.create(user=user, succeeded=True, client_ip=_client_ip(request))


@receiver(user_login_failed, dispatch_uid="directory_sign_in_failed")
def record_failed_sign_in(sender, credentials=None, request=None, **kwargs):
    """A failed attempt is recorded only against an existing account (never the address typed)."""
    email = str((credentials or {}).get("username") or "").strip()
    if not email:
        return
    user = User.objects.filter(email__iexact=email).only("pk").first()
    if user is None:
        return
    SignInEvent.objects.create(user=user, succeeded=False, client_ip=_client_ip(request))
