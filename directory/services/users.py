"""Account administration: each operation writes and records an audit entry (Wagtail's log).

The caller checks the permissions (directory.perms.can_manage_user and friends); these functions
only keep the data consistent and the history complete. Keyword-only arguments.
"""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from directory import notifications
from directory.enums import Role, TerritoryLevel, UserOption, UserStatus
from directory.models import InterventionArea, User

#: The audit actions of this module (their labels are registered in directory/wagtail_hooks.py).
ACTION_DEACTIVATE = "directory.user.deactivate"
ACTION_REACTIVATE = "directory.user.reactivate"
ACTION_CHANGE_ROLE = "directory.user.change_role"
ACTION_CHANGE_AREA = "directory.user.change_area"
ACTION_EDIT_ADMIN_COMMENTS = "directory.user.edit_admin_comments"
ACTION_CHANGE_OPTIONS = "directory.user.change_options"
ACTIONS = (
    ACTION_DEACTIVATE,
    ACTION_REACTIVATE,
    ACTION_CHANGE_ROLE,
    ACTION_CHANGE_AREA,
    ACTION_EDIT_ADMIN_COMMENTS,
    ACTION_CHANGE_OPTIONS,
)


class AlreadyDone(Exception):
    """Another administrator changed the account meanwhile: nothing written, `message` says
    why (for the administrator who came second)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Conflict(Exception):
    """Another administrator saved meanwhile what the form was about to replace: nothing
    written; `base` is the form's new base (the current state)."""

    def __init__(self, message, *, base):
        super().__init__(message)
        self.message = message
        self.base = base


def comments_base(comments: str) -> str:
    """A fingerprint of the administrators' comments, carried by the form that edits them."""
    return "v1:" + hashlib.sha256(comments.encode()).hexdigest()[:20]


def _lock(user: User, *fields: str) -> None:
    """Lock the account's row, then read `fields` again into `user` (the view read them before
    the lock: another administrator may have changed them since)."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    if fields:
        user.refresh_from_db(fields=fields)


def _forget_cached_permissions(user: User) -> None:
    for attribute in ("_perm_areas", "_perm_exceptions"):
        user.__dict__.pop(attribute, None)


@transaction.atomic
def deactivate_user(*, user: User, by: User, reason: str, notify: bool = True) -> None:
    """Close the account: it can no longer log in (open sessions end at the next request); the
    person is told by email, with the reason. AlreadyDone when the account already is inactive
    (another administrator was quicker)."""
    _lock(user, "status", "is_active")
    if user.status == UserStatus.INACTIVE and not user.is_active:
        raise AlreadyDone(_("This account is already inactive."))
    previous_status = user.status
    user.status = UserStatus.INACTIVE
    user.is_active = False
    user.save(update_fields=["status", "is_active"])
    log(
        instance=user,
        action=ACTION_DEACTIVATE,
        user=by,
        data={"reason": reason, "previous_status": previous_status},
    )
    if notify:
        notifications.account_deactivated(user, reason=reason)


@transaction.atomic
def reactivate_user(
    *, user: User, by: User, reason: str = "", notify: bool = True, base_url: str | None = None
) -> None:
    """Open the account again; the inactivity countdown starts afresh; the person is told.
    AlreadyDone when it is not deactivated (any more)."""
    _lock(user, "status", "is_active")
    if user.status != UserStatus.INACTIVE and user.is_active:
        raise AlreadyDone(_("This account is not deactivated."))
    user.status = UserStatus.ACTIVE
    user.is_active = True
    user.inactivity_warned_at = None
    # The six months of inactivity count from the reactivation, not from the last visit.
    user.last_access = timezone.now()
    user.save(update_fields=["status", "is_active", "inactivity_warned_at", "last_access"])
    log(instance=user, action=ACTION_REACTIVATE, user=by, data={"reason": reason})
    if notify:
        notifications.account_reactivated(user, reason=reason, base_url=base_url)


@transaction.atomic
def change_role(*, user: User, by: User, role: str) -> bool:
    """Give `role` to the user; False (and nothing written) when they already have it."""
    role = Role(role)
    _lock(user, "role")
    previous = user.role
    if previous == role:
        return False
    user.role = role
    user.save(update_fields=["role"])
    _forget_cached_permissions(user)
    log(
        instance=user,
        action=ACTION_CHANGE_ROLE,
        user=by,
        data={"previous": str(previous), "new": role.value},
    )
    return True


def _describe(area: InterventionArea | None) -> dict | None:
    if area is None:
        return None
    territory = area.territory
    return {
        "level": area.level,
        "code": territory.pk if territory is not None else None,
        "name": str(area),
    }


@transaction.atomic
def set_main_area(*, user: User, by: User, territory=None) -> InterventionArea:
    """Make `territory` (a Region or a Department; None = the nation) the user's own main area.

    It replaces the previous own main area; the user's other own areas stay. A user who had no
    own area (and used their organisation's) now has this one.
    """
    # Lock the account: two admins changing the same user's area one after the other.
    _lock(user)
    previous = (
        InterventionArea.objects.select_related("region", "department", "epci", "commune")
        .filter(user=user, is_main=True)
        .first()
    )
    level = TerritoryLevel.NATION if territory is None else territory.level
    # Drop the previous main area, and any secondary area that duplicates the new one.
    same = {"level": level}
    if territory is not None:
        same[level.value] = territory
    InterventionArea.objects.filter(user=user).filter(is_main=True).delete()
    InterventionArea.objects.filter(user=user, **same).delete()
    area = InterventionArea.for_territory(territory, user=user, is_main=True)
    area.full_clean()
    area.save()
    _forget_cached_permissions(user)
    log(
        instance=user,
        action=ACTION_CHANGE_AREA,
        user=by,
        data={"previous": _describe(previous), "new": _describe(area)},
    )
    return area


@transaction.atomic
def update_admin_comments(*, user: User, by: User, comments: str, base: str | None = None) -> bool:
    """Replace the administrators' comments; False (and nothing written) when unchanged.
    `base`: the `comments_base` of the text the form was opened with; when another
    administrator saved other comments since, Conflict (their text is not replaced unseen).

    The audit entry records that the comments changed, not their text (the text stays on the
    account, where only administrators read it)."""
    comments = comments.strip()
    _lock(user, "admin_comments")
    if comments == user.admin_comments:
        return False
    current = comments_base(user.admin_comments)
    if base and base != current:
        raise Conflict(
            _(
                "Another administrator changed the comments while you were editing them. "
                "Their version: “%(current)s”. Your text is below: merge both, then save."
            )
            % {"current": user.admin_comments},
            base=current,
        )
    user.admin_comments = comments
    user.save(update_fields=["admin_comments"])
    log(
        instance=user,
        action=ACTION_EDIT_ADMIN_COMMENTS,
        user=by,
        data={"length": len(comments)},
    )
    return True


@transaction.atomic
def change_options(
    *, user: User, by: User, options: list[str], base: list[str] | None = None
) -> bool:
    """Grant exactly `options` (justice access, close sites, declare sites); False if unchanged.
    `base`: the options the form was opened with; then only what the administrator ticked or
    unticked is applied to the current options (another administrator's change meanwhile
    stays)."""
    new = {UserOption(option).value for option in set(options)}
    _lock(user, "options")
    previous = sorted(user.options or [])
    if base is not None:
        base = {UserOption(option).value for option in base}
        new = (set(previous) | (new - base)) - (base - new)
    new = sorted(new)
    if new == previous:
        return False
    user.options = new
    user.save(update_fields=["options"])
    _forget_cached_permissions(user)
    log(
        instance=user,
        action=ACTION_CHANGE_OPTIONS,
        user=by,
        data={"previous": previous, "new": new},
    )
    return True
