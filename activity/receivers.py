"""Signal receivers: site events from Wagtail's publications."""

import logging

from django.db import transaction
from wagtail.signals import page_published

from activity import notifications
from activity.tasks import notify_site_event

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


def connect():
    from sitepages.models import SitePage

    page_published.connect(site_published, sender=SitePage, dispatch_uid="activity_site_published")
