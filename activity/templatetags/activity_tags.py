from django import template
from notifications.models import Notification

register = template.Library()


def unread_count(request) -> int:
    """Unread notifications of the request's user: one query, cached on the request."""
    cached = getattr(request, "_activity_unread_count", None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = (
            Notification.objects.filter(recipient=user, unread=True, deleted=False).count()
            if user is not None and user.is_authenticated
            else 0
        )
        request._activity_unread_count = cached
    return cached


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    request = context.get("request")
    return unread_count(request) if request is not None else 0


@register.filter
def group_summary(notification) -> str:
    """The line of a group of repeated events (« 5 mises à jour par 2 personnes… »), or ""."""
    from activity.display import group_summary as summary

    return summary(notification)
