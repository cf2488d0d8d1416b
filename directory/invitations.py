"""Invitations to request access (« Inviter un partenaire »): a member invites a person who has
no access yet; the email links to the access request form, pre-filled from a signed token.

The token (`django.core.signing`, salted, valid `VALIDITY`) holds the invited address and the
territory to pre-fill: a changed link is refused, so it cannot name another address or
territory. It names no site: the person may not read any yet. The form stays the public one
(same rules, rate limits and answer whatever the address, see `services.access_requests`).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

from directory import notifications
from directory.services.territories import get_territory

SALT = "directory.access_invitation"
VALIDITY = timedelta(days=30)


@dataclass(frozen=True)
class Invitation:
    email: str
    territory: object  # a region, department, EPCI or commune, or None


def token_for(*, email: str, territory=None) -> str:
    payload = {"email": email.strip().lower()}
    if territory is not None:
        payload["territory"] = f"{territory.level}:{territory.pk}"
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> Invitation | None:
    """The invitation a token stands for; None when it was changed or is too old."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=VALIDITY)
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("email"), str):
        return None
    territory = None
    level, _sep, code = str(payload.get("territory") or "").partition(":")
    if level and code:
        territory = get_territory(level, code)
    return Invitation(email=payload["email"], territory=territory)


def invitation_path(*, email: str, territory=None) -> str:
    return (
        reverse("access_request_create")
        + "?"
        + urlencode({"invitation": token_for(email=email, territory=territory)})
    )


def send_access_invitation(
    *, email: str, territory, inviter, message: str = "", base_url: str | None = None
) -> None:
    """Email `email` an invitation to request access, from `inviter`, with the pre-filled link."""
    notifications.access_invitation(
        email=email,
        inviter=inviter,
        territory=territory,
        message=message,
        url=notifications.absolute_url(invitation_path(email=email, territory=territory), base_url),
    )
