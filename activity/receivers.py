"""Signal receivers: site events from Wagtail's publications."""

import logging

from django.db import transaction
from wagtail.signals import page_published

from activity import notifications
from activity.tasks import notify_site_event
from directory.models import User
from directory.services.erasure import replace_everywhere, scrub
from directory.services.erasure import user_anonymized as anonymized
from sitepages.deletion import site_deleted as site_deleted_signal
from sitepages.models import SitePage

logger = logging.getLogger(__name__)


def site_published(sender, instance, revision=None, **kwargs):
    """Record the event now (the feed shows it at once) and tell the territory in the
    background (the recipients' rights are checked one by one). A failure here is logged and
    never prevents the publication."""
    try:
        with transaction.atomic():
            event = notifications.record_site_event(instance, revision)
            notify_site_event.enqueue(event_id=event.pk)
    except Exception:
        logger.exception("Site %s: the site event could not be recorded.", instance.pk)


def site_deleted(sender, site_pk, title, user, reason, recipient_ids, **kwargs):
    """A site created by mistake was deleted: its actors and followers are told why (their
    email preference for closed sites applies)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from activity.enums import NotificationKind
    from activity.services import notify

    notify(
        kind=NotificationKind.SITE_CLOSED,
        recipients=User.objects.filter(pk__in=recipient_ids),
        actor=user,
        verb=_("The site « %(title)s » was deleted (created by mistake): %(reason)s")
        % {"title": title, "reason": reason},
        url=reverse("site_list"),
    )


def user_anonymized(sender, user, former, replacement, **kwargs):
    """Erase the former names and address of an anonymised account from the notifications and
    the stored emails (`directory.services.erasure`)."""
    from notifications.models import Notification

    from activity.models import OutgoingEmail, SiteEvent

    replace_everywhere(Notification.objects.all(), ["verb", "description"], former, replacement)
    for value in former:
        for notification in Notification.objects.filter(data__icontains=value):
            notification.data = scrub(notification.data, former, replacement)
            notification.save(update_fields=["data"])
    replace_everywhere(
        OutgoingEmail.objects.all(), ["subject", "text_body", "html_body"], former, replacement
    )
    replace_everywhere(SiteEvent.objects.all(), ["title"], former, replacement)


def connect():
    anonymized.connect(user_anonymized, dispatch_uid="activity_user_anonymized")

    page_published.connect(site_published, sender=SitePage, dispatch_uid="activity_site_published")
    site_deleted_signal.connect(site_deleted, dispatch_uid="activity_site_deleted")
