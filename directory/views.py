from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core import navigation
from directory import forms, home, perms
from directory.enums import AccessRequestStatus, Topic
from directory.models import AccessRequest, CharterVersion
from directory.permission_matrix import Feature
from directory.services import accounts, second_factor


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": _("Log in")}


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_email_context = {"site_name": settings.PLATFORM_NAME}
    extra_context = {"title": _("Forgotten password")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    extra_context = {"title": _("Check your inbox")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")
    extra_context = {"title": _("Choose a new password")}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    extra_context = {"title": _("Password changed")}


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("password_change_done")
    extra_context = {"title": _("Change my password")}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    extra_context = {"title": _("Password changed")}


@login_required
def account(request):
    user = request.user
    from directory.views_account import sign_in_history

    topics = dict(Topic.choices)
    context = {
        "title": _("My account"),
        "sign_ins": sign_in_history(user),
        "expertise_topics": [str(topics.get(t, t)) for t in user.expertise_topics or []],
        "interest_topics": [str(topics.get(t, t)) for t in user.interest_topics or []],
    }
    if second_factor.has_second_factor(user):
        context["second_factor"] = {
            "recovery_codes_left": second_factor.recovery_codes_left(user),
        }
    return render(request, "directory/account.html", context)


def charter(request):
    """The charter in force; a logged-in user who has not accepted it yet accepts it here."""
    current = CharterVersion.objects.current()
    user = request.user
    must_accept = bool(
        current and user.is_authenticated and (user.charter_version_accepted or 0) < current.version
    )
    next_url = navigation.next_url(request)
    form = forms.CharterAcceptanceForm(request.POST or None) if must_accept else None
    if request.method == "POST":
        if not must_accept:
            return redirect(next_url or "dashboard")
        if form.is_valid():
            accounts.accept_charter(user=user, charter=current)
            messages.success(request, _("Thank you: you have accepted the charter of engagement."))
            return redirect(next_url or "dashboard")
    return render(
        request,
        "directory/charter.html",
        {
            "title": current.title if current else _("Charter of engagement"),
            "charter": current,
            "form": form,
            "next": next_url,
        },
    )


@login_required
def dashboard(request):
    user = request.user
    areas = perms.areas_of(user)
    context = {
        "title": _("My dashboard"),
        "main_area": areas.main,
        "is_admin": perms.is_admin(user),
        "can_read_permission_exceptions": perms.can_read_permission_exceptions(user),
        "can_see_site_dashboard": perms.can(user, Feature.STATS_READ)
        and perms.can(user, Feature.SITE_LIST),
    }
    if perms.can(user, Feature.USER_CREATE):
        context["pending_access_requests"] = (
            AccessRequest.objects.filter(status=AccessRequestStatus.PENDING)
            .filter(perms.access_requests_q(user))
            .count()
        )
    context["home_blocks"] = home.blocks_for(request)
    return render(request, "directory/dashboard.html", context)
