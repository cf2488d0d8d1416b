"""Following a site (« Suivre ce site »): any reader of a site may follow it; the followed sites
appear on the follower's home. Following is personal, so it is neither audited nor notified."""

from django.db import transaction

from directory import perms
from directory.permission_matrix import Feature
from sitepages.models import SiteFollow


def can_follow(user, site) -> bool:
    return perms.can(user, Feature.SITE_READ, site)


def is_following(user, site) -> bool:
    return SiteFollow.objects.filter(user=user, site=site).exists()


@transaction.atomic
def follow(*, site, user) -> SiteFollow:
    if not can_follow(user, site):
        raise PermissionError("This user may not read the site.")
    follow_row, _created = SiteFollow.objects.get_or_create(user=user, site=site)
    return follow_row


@transaction.atomic
def unfollow(*, site, user) -> None:
    SiteFollow.objects.filter(user=user, site=site).delete()
