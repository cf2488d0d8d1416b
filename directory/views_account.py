"""My account: profile, email address, sign-in history, closing it; and, for national admins,
the sign-in log of a person and the anonymisation of an account (erasure on request)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from directory import perms
from directory.forms_account import AnonymizeForm, CloseAccountForm, EmailChangeForm, ProfileForm
from directory.models import SignInEvent, User
from directory.services import accounts, erasure
from directory.services.accounts import PROFILE_FIELDS, EmailChangeError
from directory.services.erasure import ANONYMIZATION_GRACE
from directory.views_access import _base_url

#: How many sign-ins the history shows.
SIGN_IN_HISTORY_SIZE = 20


def sign_in_history(user):
    return list(SignInEvent.objects.filter(user=user)[:SIGN_IN_HISTORY_SIZE])


@login_required
def profile_edit(request):
    user = request.user
    initial = {name: getattr(user, name) for name in PROFILE_FIELDS}
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = accounts.update_profile(
            user=user, by=user, **{name: form.cleaned_data[name] for name in PROFILE_FIELDS}
        )
        if changed:
            messages.success(request, _("Your profile is saved."))
        else:
            messages.info(request, _("Nothing has changed."))
        return redirect("account")
    return render(
        request, "directory/account_form.html", {"title": _("Edit my profile"), "form": form}
    )


@login_required
def email_change(request):
    user = request.user
    form = EmailChangeForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        accounts.request_email_change(user=user, new_email=new_email, base_url=_base_url(request))
        messages.success(
            request,
            _(
                "A confirmation link was sent to %(email)s: your address changes once you "
                "follow it (within 48 hours). Your current address was told."
            )
            % {"email": new_email},
        )
        return redirect("account")
    return render(
        request,
        "directory/account_form.html",
        {
            "title": _("Change my email address"),
            "form": form,
            "intro": _(
                "A link is sent to the new address to confirm it; until then, you keep "
                "logging in with the current one."
            ),
        },
    )


@never_cache
def email_change_confirm(request, token):
    """GET shows what will change; POST applies it (a link checker fetching the page changes
    nothing)."""
    try:
        change = accounts.check_email_change_token(token)
    except EmailChangeError as error:
        return render(
            request,
            "directory/account_message.html",
            {"title": _("This link no longer works"), "message": error.message},
            status=410,
        )
    if request.method == "POST":
        try:
            accounts.confirm_email_change(token=token)
        except EmailChangeError as error:
            return render(
                request,
                "directory/account_message.html",
                {"title": _("This link no longer works"), "message": error.message},
                status=410,
            )
        messages.success(request, _("Your email address has changed: log in with it from now on."))
        return redirect("account" if request.user.is_authenticated else "login")
    return render(
        request,
        "directory/email_change_confirm.html",
        {"title": _("Confirm my new email address"), "new_email": change.new_email},
    )


@login_required
def account_close(request):
    user = request.user
    if user.is_superuser:
        raise PermissionDenied
    form = CloseAccountForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        accounts.close_account(user=user)
        logout(request)
        return render(
            request,
            "directory/account_message.html",
            {
                "title": _("Your account is closed"),
                "message": _(
                    "You can no longer log in. Your personal data will be erased in %(days)s "
                    "days; until then, the administrators of your territory can reopen the "
                    "account if you ask them."
                )
                % {"days": ANONYMIZATION_GRACE.days},
            },
        )
    return render(
        request,
        "directory/account_close.html",
        {"title": _("Close my account"), "form": form, "grace_days": ANONYMIZATION_GRACE.days},
    )


@login_required
def person_sign_ins(request, pk):
    person = get_object_or_404(User, pk=pk)
    if not perms.can_read_sign_in_log(request.user, person):
        raise PermissionDenied
    return render(
        request,
        "directory/sign_ins.html",
        {
            "title": _("Sign-ins of %(name)s") % {"name": person},
            "person": person,
            "sign_ins": sign_in_history(person),
        },
    )


@login_required
def person_anonymize(request, pk):
    person = get_object_or_404(User, pk=pk)
    if not perms.can_anonymize_user(request.user, person):
        raise PermissionDenied
    form = AnonymizeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erasure.anonymize_user(user=person, by=request.user)
        messages.success(request, _("The account is anonymised."))
        return redirect("directory_person", pk=person.pk)
    return render(
        request,
        "directory/anonymize.html",
        {"title": _("Anonymise the account"), "person": person, "form": form},
    )
