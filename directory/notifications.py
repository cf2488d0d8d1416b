"""Who is told what, by email: each function builds the messages and queues them.

Every email has a plain text part (`directory/emails/<kind>.txt`, subject in
`<kind>_subject.txt`) and an HTML part built from the same text in the platform's email layout
(`directory/emails/access_email.html`). Emails go through the `core.tasks.send_email` task, so a
slow mail server never holds up a request.

The deciders are also told in the platform (the notification bell, kind `ACCESS_REQUEST`,
through `core.notifications`, delivered by the `activity` app); their emails follow their email
preference for that kind and carry a one-click unsubscribe link.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.notifications import NotificationKind, create_notifications, email_recipients
from core.tasks import send_email


def absolute_url(path: str, base_url: str | None = None) -> str:
    """`path` on the platform's public address (the request's when known)."""
    return (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/") + path


def _send(
    kind: str,
    context: dict,
    *,
    to: str,
    reply_to: str | None = None,
    action=None,
    unsubscribe_url: str = "",
) -> None:
    """Queue one email to one address; `action` = (label, url) of its main link;
    `unsubscribe_url`: the recipient's one-click unsubscribe link (notification emails)."""
    context = {"site_name": settings.PLATFORM_NAME, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(f"directory/emails/{kind}_subject.txt", context).split()
        )
        body = render_to_string(f"directory/emails/{kind}.txt", context)
        if unsubscribe_url:
            stop = _("Stop these emails in one click:")
            body = f"{body.rstrip()}\n\n-- \n{stop} {unsubscribe_url}\n"
        html_body = render_to_string(
            "directory/emails/access_email.html",
            {
                **context,
                "subject": subject,
                "body": body.strip(),
                "action_label": str(action[0]) if action else "",
                "action_url": action[1] if action else "",
            },
        )
    headers = {}
    if reply_to:
        headers["Reply-To"] = reply_to
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    send_email.enqueue(
        subject=subject,
        body=body,
        html_body=html_body,
        to=[to],
        headers=headers or None,
    )


def _tell_deciders(access_request, deciders, verb: str) -> list:
    """In-app notification to every decider; return those who want the email, each with their
    unsubscribe link: [(decider, unsubscribe_url)]."""
    deciders = [decider for decider in deciders if decider.is_active]
    if not deciders:
        return []
    kind = NotificationKind.ACCESS_REQUEST
    create_notifications(
        kind=kind,
        users=deciders,
        actor=access_request,
        verb=str(verb),
        target=access_request,
        url=reverse("access_request_detail", kwargs={"pk": access_request.pk}),
    )
    return [(decider, absolute_url(path)) for decider, path in email_recipients(deciders, kind)]


def _applicant(access_request) -> str:
    full_name = f"{access_request.first_name} {access_request.last_name}".strip()
    return full_name or access_request.email


def _request_context(access_request, base_url=None) -> dict:
    return {
        "access_request": access_request,
        "territory": access_request.territory,
        "request_url": absolute_url(
            reverse("access_request_detail", kwargs={"pk": access_request.pk}), base_url
        ),
    }


# --- To the applicant ---------------------------------------------------------------------------


def access_request_received(access_request) -> None:
    """Acknowledge the request."""
    _send("access_received", _request_context(access_request), to=access_request.email)


def access_request_repeated(email: str, *, kind: str, base_url=None) -> None:
    """The access request form was sent for an address that needs no new request: tell its owner
    what applies (`kind`: "account_exists", "awaiting_activation" or "already_pending"). The form
    answered the sender as for any request; nothing the sender typed is repeated here."""
    context = {"reset_url": absolute_url(reverse("password_reset"), base_url)}
    action = (
        (_("Choose a new password"), context["reset_url"]) if kind == "account_exists" else None
    )
    _send(f"access_{kind}", context, to=email, action=action)


def access_invitation(*, email: str, inviter, territory, message: str, url: str) -> None:
    """A member invites `email` to request access (« Inviter un partenaire »): the link opens
    the access request form pre-filled. It names the inviter, never a site."""
    _send(
        "access_invitation",
        {
            "inviter": inviter,
            "inviter_name": inviter.get_full_name() or inviter.email,
            "organization": inviter.organization,
            "territory": territory,
            "message": message,
            "invitation_url": url,
        },
        to=email,
        reply_to=inviter.email,
        action=(_("Request access"), url),
    )


def access_request_approved(
    access_request, *, activation_url: str, expires_at, base_url=None
) -> None:
    """The account exists: choose a password through the activation link (valid 8 days)."""
    url = absolute_url(activation_url, base_url)
    _send(
        "access_approved",
        {
            **_request_context(access_request, base_url),
            "activation_url": url,
            "expires_at": expires_at,
        },
        to=access_request.email,
        reply_to=access_request.decided_by.email if access_request.decided_by else None,
        action=(_("Activate my account"), url),
    )


def access_request_refused(access_request) -> None:
    """The refusal, with the administrator's message."""
    _send(
        "access_refused",
        _request_context(access_request),
        to=access_request.email,
        reply_to=access_request.decided_by.email if access_request.decided_by else None,
    )


def activation_reminder(access_request, *, activation_url: str, expires_at, base_url=None) -> None:
    """The activation link has not been used 5 days after the approval."""
    url = absolute_url(activation_url, base_url)
    _send(
        "access_activation_reminder",
        {
            **_request_context(access_request, base_url),
            "activation_url": url,
            "expires_at": expires_at,
        },
        to=access_request.email,
        reply_to=access_request.decided_by.email if access_request.decided_by else None,
        action=(_("Activate my account"), url),
    )


# --- To the deciders ----------------------------------------------------------------------------


def access_request_to_decide(access_request, *, deciders, base_url=None) -> None:
    """A new request waits for a decision."""
    context = _request_context(access_request, base_url)
    verb = _("Access request to decide: %(name)s") % {"name": _applicant(access_request)}
    for decider, unsubscribe_url in _tell_deciders(access_request, deciders, verb):
        _send(
            "access_to_decide",
            {**context, "decider": decider},
            to=decider.email,
            action=(_("Examine the request"), context["request_url"]),
            unsubscribe_url=unsubscribe_url,
        )


def access_request_reminder(access_request, *, deciders, days: int, base_url=None) -> None:
    """A request still waits for a decision after `days` days."""
    context = {**_request_context(access_request, base_url), "days": days}
    verb = _("Access request still waiting for a decision: %(name)s") % {
        "name": _applicant(access_request)
    }
    for decider, unsubscribe_url in _tell_deciders(access_request, deciders, verb):
        _send(
            "access_reminder",
            {**context, "decider": decider},
            to=decider.email,
            action=(_("Examine the request"), context["request_url"]),
            unsubscribe_url=unsubscribe_url,
        )


# --- To both ------------------------------------------------------------------------------------


def access_request_expired(access_request, *, deciders, base_url=None) -> None:
    """The activation link expired unused: the applicant may ask the administrators for a new
    one, and the deciders may send it from the request's page."""
    context = _request_context(access_request, base_url)
    _send(
        "access_expired_applicant",
        context,
        to=access_request.email,
        reply_to=access_request.decided_by.email if access_request.decided_by else None,
    )
    verb = _("Activation link expired unused: %(name)s") % {"name": _applicant(access_request)}
    for decider, unsubscribe_url in _tell_deciders(access_request, deciders, verb):
        _send(
            "access_expired_decider",
            {**context, "decider": decider},
            to=decider.email,
            action=(_("See the request"), context["request_url"]),
            unsubscribe_url=unsubscribe_url,
        )


# --- The account's owner ------------------------------------------------------------------------


def email_change_confirm(user, *, new_email: str, confirm_url: str) -> None:
    """To the new address: the link that confirms it."""
    _send(
        "email_change_confirm",
        {"user": user, "confirm_url": confirm_url},
        to=new_email,
        action=(_("Confirm my new address"), confirm_url),
    )


def email_change_requested(user, *, new_email: str) -> None:
    """To the current address: a change was asked for."""
    _send("email_change_requested", {"user": user, "new_email": new_email}, to=user.email)


def email_changed(user, *, old_email: str) -> None:
    """To the former address: the change took effect."""
    _send("email_changed", {"user": user}, to=old_email)


def account_deactivated(user, *, reason: str) -> None:
    _send("account_deactivated", {"user": user, "reason": reason}, to=user.email)


def account_reactivated(user, *, reason: str, base_url=None) -> None:
    url = absolute_url(reverse("login"), base_url)
    _send(
        "account_reactivated",
        {"user": user, "reason": reason, "login_url": url},
        to=user.email,
        action=(_("Log in"), url),
    )


def account_created(access_request, *, activation_url: str, expires_at, base_url=None) -> None:
    """An administrator created the account: choose a password through the activation link."""
    url = absolute_url(activation_url, base_url)
    _send(
        "account_created",
        {
            **_request_context(access_request, base_url),
            "activation_url": url,
            "expires_at": expires_at,
        },
        to=access_request.email,
        reply_to=access_request.decided_by.email if access_request.decided_by else None,
        action=(_("Activate my account"), url),
    )
