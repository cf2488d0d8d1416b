"""Who hears of the actors of a site, through `core.notifications` (in the platform and by email,
each recipient's email preference for the kind applies).

- A new actor (`SITE_ACTOR_JOINED`): the site's other actors who may still read it, never the
  person who made the change; the person added by someone else is told too.
- An invitation to an active user who may read the site (`SITE_ACTOR_INVITATION`): that user,
  with the inviter's message. Anybody else gets an invitation to request access
  (`directory.invitations`), which names no site.
"""

from django.utils.translation import gettext as _

from core.notifications import NotificationKind, notify
from directory import perms
from directory.permission_matrix import Feature
from sitepages.models import SiteActor, SitePage


def _name(user) -> str:
    return user.get_full_name() or user.email


def _live(site) -> SitePage:
    return SitePage.objects.select_related("commune").get(pk=site.pk)


def actor_joined(*, site, actor, by) -> int:
    site = _live(site)
    others = [
        row.user
        for row in SiteActor.objects.filter(site=site)
        .exclude(user=actor)
        .select_related("user")
        .order_by("pk")
        if row.user.is_active and perms.can(row.user, Feature.SITE_READ, site)
    ]
    if by.pk == actor.pk:
        verb = _("%(name)s is now an actor of the site “%(site)s”")
    else:
        verb = _("%(by)s added %(name)s as an actor of the site “%(site)s”")
    told = notify(
        kind=NotificationKind.SITE_ACTOR_JOINED,
        recipients=others,
        actor=by,
        verb=verb % {"name": _name(actor), "by": _name(by), "site": site.title},
        target=site,
        url=site.url or "",
    )
    if by.pk != actor.pk:
        told += notify(
            kind=NotificationKind.SITE_ACTOR_JOINED,
            recipients=[actor],
            actor=by,
            verb=_("%(by)s added you as an actor of the site “%(site)s”")
            % {"by": _name(by), "site": site.title},
            target=site,
            url=site.url or "",
        )
    return told


def actor_invitation(*, site, invitee, by, message: str = "") -> int:
    site = _live(site)
    verb = _("%(by)s invites you to become an actor of the site “%(site)s”") % {
        "by": _name(by),
        "site": site.title,
    }
    return notify(
        kind=NotificationKind.SITE_ACTOR_INVITATION,
        recipients=[invitee],
        actor=by,
        verb=verb,
        target=site,
        url=site.url or "",
        email_template="sitepages/emails/actor_invitation.txt",
        email_context={"message": message, "inviter": by},
    )
