from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from directory import forms


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
    return render(request, "directory/account.html", {"title": _("My account")})
