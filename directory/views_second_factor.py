"""Second factor pages: enrolment (scan or type the secret, confirm a code), recovery codes shown
once, and the verification step after the password. The rules live in `directory.perms`
(`must_use_second_factor`) and the operations in `directory.services.second_factor`."""

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import navigation
from directory.forms import SecondFactorCodeForm
from directory.services import second_factor

#: The recovery codes wait in the session between their creation and the page that shows them.
SESSION_RECOVERY_CODES = "second_factor_recovery_codes"
SESSION_NEXT = "second_factor_next"


def _with_next(name: str, next_url: str) -> str:
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _mark_verified(request, device) -> None:
    """The session now stands for a password and a second factor: give it a new key."""
    request.session.cycle_key()
    django_otp.login(request, device)


@never_cache
@login_required
def enrol(request):
    """Add (or replace) the authenticator app. Replacing it needs a verified session."""
    user = request.user
    next_url = navigation.next_url(request)
    enrolled = second_factor.has_second_factor(user)
    if enrolled and not user.is_verified():
        return redirect(_with_next("second_factor_verify", next_url))
    device = second_factor.pending_device(user)
    form = SecondFactorCodeForm(
        request.POST or None,
        help_text=_("The six digits your app shows now for this platform."),
    )
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_enrolment(
            user=user, device=device, token=form.cleaned_data["code"]
        )
        if codes is None:
            form.add_error(
                "code",
                _(
                    "This code is not the one your app shows. Check that your phone is on time, "
                    "then type the code it shows now."
                ),
            )
        else:
            device.refresh_from_db()
            _mark_verified(request, device)
            request.session[SESSION_RECOVERY_CODES] = codes
            request.session[SESSION_NEXT] = next_url
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect("second_factor_recovery_codes")
    return render(
        request,
        "directory/second_factor/enrol.html",
        {
            "title": _("Set up two-factor authentication"),
            "form": form,
            "next": next_url,
            "replacing": enrolled,
            "secret": second_factor.secret_of(device),
            "qr_code": second_factor.qr_code_svg(
                device, label=_("QR code to scan with your authentication app")
            ),
        },
    )


@never_cache
@login_required
def recovery_codes(request):
    """The recovery codes just created, shown once: they are not kept anywhere readable."""
    codes = request.session.pop(SESSION_RECOVERY_CODES, None)
    next_url = request.session.pop(SESSION_NEXT, "")
    return render(
        request,
        "directory/second_factor/recovery_codes.html",
        {"title": _("Your recovery codes"), "codes": codes, "next": next_url},
    )


@require_POST
@login_required
def regenerate_recovery_codes(request):
    user = request.user
    if not (second_factor.has_second_factor(user) and user.is_verified()):
        raise Http404
    request.session[SESSION_RECOVERY_CODES] = second_factor.regenerate_recovery_codes(user=user)
    return redirect("second_factor_recovery_codes")


@never_cache
@login_required
def verify(request):
    """The step after the password for the users who need a second factor."""
    user = request.user
    next_url = navigation.next_url(request)
    if user.is_verified():
        return redirect(next_url or "dashboard")
    if not second_factor.has_second_factor(user):
        return redirect(_with_next("second_factor_enrol", next_url))
    form = SecondFactorCodeForm(
        request.POST or None,
        help_text=_("The six digits of your authentication app, or one of your recovery codes."),
    )
    if request.method == "POST" and form.is_valid():
        result = second_factor.verify(user=user, token=form.cleaned_data["code"])
        if result.device is not None:
            _mark_verified(request, result.device)
            return redirect(next_url or "dashboard")
        if result.retry_in:
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes: wait %(count)d second, then try again.",
                    "Too many wrong codes: wait %(count)d seconds, then try again.",
                    result.retry_in,
                )
                % {"count": result.retry_in},
            )
        else:
            form.add_error("code", _("Incorrect code."))
    return render(
        request,
        "directory/second_factor/verify.html",
        {"title": _("Confirm your identity"), "form": form, "next": next_url},
    )
