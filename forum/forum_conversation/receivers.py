from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from machina.core.db.models import get_model

from forum import notifications

Post = get_model("forum_conversation", "Post")


@receiver(pre_save, sender=Post)
def remember_approval(sender, instance, **kwargs):
    """Note whether the post was already approved, to act only when it becomes visible."""
    if instance.pk:
        previous = sender.objects.filter(pk=instance.pk).values_list("approved", flat=True)
        instance._was_approved = bool(previous.first())
    else:
        instance._was_approved = False


@receiver(post_save, sender=Post)
def subscribe_and_notify(sender, instance, **kwargs):
    if not instance.approved or getattr(instance, "_was_approved", False):
        return
    notifications.subscribe_author(instance)
    notifications.notify_reply(instance)
