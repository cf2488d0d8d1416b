"""A deactivated account loses its API tokens (they would be refused anyway: see
`api.authentication`); deleting them makes the revocation final, as for sessions."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api_revoke_tokens")
def revoke_tokens_of_inactive_users(sender, instance, **kwargs):
    if not instance.is_active:
        from api.models import ApiToken

        ApiToken.objects.filter(user=instance).delete()
