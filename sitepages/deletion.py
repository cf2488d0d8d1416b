"""Deleting a site created by mistake (`site.delete`: national and local administrators).

Only open sites are deleted: a closed or resorbed site is part of the history of the territory
and stays (it is corrected, never deleted). The deletion is audited (Wagtail log entry, kept
after the page is gone, with the reason), the search document goes with the page (the search
app's `post_delete` handler), and `site_deleted` lets the activity app tell the site's actors
and followers.
"""

from django.db import transaction
from django.dispatch import Signal
from wagtail.log_actions import log

from sitepages.models import SiteActor, SiteFollow, SitePage
from sitepages.perms import can_delete_site
from sitepages.services import lock_site

#: sent inside the deletion's transaction, once the site is gone; arguments: `site_pk`,
#: `title`, `user` (who deleted it), `reason`, `recipient_ids` (its actors and followers).
site_deleted = Signal()


@transaction.atomic
def delete_site(*, site: SitePage, user, reason: str) -> None:
    lock_site(site)  # a second deletion (or a write) waits, then finds the site gone: 404
    if not can_delete_site(user, site):
        raise PermissionError("This user may not delete this site.")
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required.")
    site_pk, title = site.pk, site.title
    recipient_ids = set(SiteActor.objects.filter(site=site).values_list("user_id", flat=True))
    recipient_ids |= set(SiteFollow.objects.filter(site=site).values_list("user_id", flat=True))
    log(
        site,
        "sitepages.site_deleted",
        user=user,
        data={
            "title": title,
            "commune": site.commune.name if site.commune_id else "",
            "reason": reason,
        },
    )
    site.delete()
    site_deleted.send(
        sender=SitePage,
        site_pk=site_pk,
        title=title,
        user=user,
        reason=reason,
        recipient_ids=sorted(recipient_ids),
    )
