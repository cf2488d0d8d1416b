"""The actors of a site (« Acteurs du site »): who may join, leave, add others or invite, and the
operations that do it (keyword-only arguments, one transaction each).

The actors are rows of the site's revisions (`SiteActor`, a modelcluster child): each change is a
new revision built from the latest one under the site's lock (`services.change_site`), so it
shows in the site's history with its author, an edit of the site form made meanwhile is a
conflict instead of an erasure, and two submissions at once are applied one after the other
(the second one sees the first one's actor: one row per person, `sitepages_actor_unique_user`).

- Any reader of an open site may join it (with at least one theme), change their themes and
  leave (leaving is always possible, a closed site included).
- Who may edit the site (`perms.can_edit_site`) adds an active user who may read it.
- Actors and editors invite a person by email (`invite`): see `sitepages.notifications`.
"""

from dataclasses import dataclass

from django.db import transaction
from wagtail.log_actions import log

from core import ratelimit
from directory import invitations
from directory import perms as directory_perms
from directory.models import User
from directory.permission_matrix import Feature
from sitepages import notifications, services
from sitepages import perms as site_perms
from sitepages.enums import SiteActorTheme
from sitepages.models import SiteActor

#: Audit action of an invitation (its label: sitepages/wagtail_hooks.py).
ACTION_INVITE = "sitepages.actor_invited"

#: Invitations one person may send per day, and one address may receive per day.
INVITATIONS_PER_USER = 20
INVITATIONS_PER_ADDRESS = 3
INVITATION_WINDOW = 60 * 60 * 24
RATE_SCOPE = "site_actor_invitation"  # rate-limit counters: see core.ratelimit


class ActorError(Exception):
    """The change is refused; `code` says why (the view words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- Who may do what ----------------------------------------------------------------------------


def may_read(user, site) -> bool:
    return bool(user.is_active) and directory_perms.can(user, Feature.SITE_READ, site)


def can_join(user, site) -> bool:
    return not site.is_closed and may_read(user, site)


def can_add_actors(user, site) -> bool:
    return not site.is_closed and site_perms.can_edit_site(user, site)


def can_invite(user, site, *, is_actor: bool) -> bool:
    return not site.is_closed and may_read(user, site) and (is_actor or can_add_actors(user, site))


def actor_of(user, site) -> SiteActor | None:
    """The user's row among the site's actors (read from the prefetched rows when loaded)."""
    for actor in site.actors.all():
        if actor.user_id == user.pk:
            return actor
    return None


def page_actions(user, site) -> dict:
    """What the actors section of the site page offers `user` (no query when the site's actors
    are prefetched; `can_edit` is the site page's own check, passed through)."""
    mine = actor_of(user, site)
    return {
        "mine": mine,
        "can_join": mine is None and can_join(user, site),
        "can_add": can_add_actors(user, site),
        "can_invite": can_invite(user, site, is_actor=mine is not None),
    }


# --- Changes (each one a revision of the site) --------------------------------------------------


def _clean_themes(themes) -> list[str]:
    themes = [theme for theme in dict.fromkeys(themes or []) if theme in SiteActorTheme.values]
    if not themes:
        raise ActorError("no_theme")
    return themes


@dataclass
class Joined:
    """The outcome of `set_actor`: the site as published, and whether the person is new there."""

    site: object
    new: bool


def set_actor(*, site, user, actor, themes, allowed) -> Joined:
    """Make `actor` an actor of `site` on `themes` (their themes replaced when they already
    are one), as `user`, in a revision built under the site's lock; `allowed(locked_site)` is
    checked again under the lock (PermissionDenied otherwise). A new actor is told to the
    site's other actors (and to the person added, when someone else added them)."""
    themes = _clean_themes(themes)
    outcome = {}

    def change(state):
        rows = list(state.actors.all())
        for row in rows:
            if row.user_id == actor.pk:
                if list(row.themes) == themes:
                    return False  # nothing to change: no revision
                row.themes = themes
                outcome["new"] = False
                break
        else:
            rows.append(SiteActor(user=actor, themes=themes))
            outcome["new"] = True
        state.actors = rows
        return True

    with transaction.atomic():
        result = services.change_site(site=site, user=user, change=change, allowed=allowed)
        new = outcome.get("new", False) and result.saved
        if new:
            notifications.actor_joined(site=result.state, actor=actor, by=user)
    return Joined(site=result.state, new=new)


def join(*, site, user, themes) -> Joined:
    """« Je suis acteur de ce site »: `user` joins (or changes their themes)."""
    return set_actor(
        site=site,
        user=user,
        actor=user,
        themes=themes,
        allowed=lambda locked: (
            may_read(user, locked) and (not locked.is_closed or actor_of(user, locked) is not None)
        ),
    )


def add_actor(*, site, user, actor, themes) -> Joined:
    """An editor of the site adds `actor`, an active user who may read it."""
    if not may_read(actor, site):
        raise ActorError("cannot_read")
    return set_actor(
        site=site,
        user=user,
        actor=actor,
        themes=themes,
        allowed=lambda locked: can_add_actors(user, locked),
    )


def leave(*, site, user) -> bool:
    """« Ne plus être acteur de ce site »; False when `user` was no actor (any more)."""

    def change(state):
        rows = list(state.actors.all())
        kept = [row for row in rows if row.user_id != user.pk]
        if len(kept) == len(rows):
            return False
        state.actors = kept
        return True

    return services.change_site(
        site=site, user=user, change=change, allowed=lambda locked: may_read(user, locked)
    ).saved


# --- Invitations --------------------------------------------------------------------------------


def invitation_limited(*, user, email) -> str | None:
    """ "user" or "address" when that rate limit is reached, else None."""
    if ratelimit.over_limit(RATE_SCOPE, "user", str(user.pk), INVITATIONS_PER_USER):
        return "user"
    if ratelimit.over_limit(RATE_SCOPE, "address", email, INVITATIONS_PER_ADDRESS):
        return "address"
    return None


@transaction.atomic
def invite(*, site, user, email: str, message: str = "", base_url: str | None = None) -> str:
    """`user` (an actor or an editor of `site`) invites the person at `email`; return what was
    done, for the tests and the log: "notified", "already_actor", "invited" or "limited".

    The answer shown to `user` is the same whatever the case (no oracle on accounts). An active
    user who may read the site is notified (link to the site, their email preference applies);
    anybody else — unknown address, inactive account, or an account that may not read the site
    — gets the same email inviting them to request access, which names neither the site nor its
    address (only the inviter and the department, pre-filled as the territory of the form)."""
    email = email.strip().lower()
    if invitation_limited(user=user, email=email):
        return "limited"
    ratelimit.count(RATE_SCOPE, "user", str(user.pk), INVITATION_WINDOW)
    ratelimit.count(RATE_SCOPE, "address", email, INVITATION_WINDOW)
    log(site, ACTION_INVITE, user=user, data={"email": email})
    invitee = User.objects.filter(email__iexact=email).first()
    if invitee is not None and may_read(invitee, site):
        if SiteActor.objects.filter(site=site, user=invitee).exists():
            return "already_actor"
        notifications.actor_invitation(site=site, invitee=invitee, by=user, message=message)
        return "notified"
    invitations.send_access_invitation(
        email=email,
        territory=site.commune.department,
        inviter=user,
        message=message,
        base_url=base_url,
    )
    return "invited"
