"""Organisation administration from the directory: create, edit, deactivate, reactivate.

Who may do what is decided in directory.perms (`can_create_organization`,
`can_manage_organization`, `can_place_organization`); the writes and the audit entries are in
directory.services.organizations.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from directory import perms, refusals
from directory.forms_organizations import (
    DeactivateOrganizationForm,
    OrganizationForm,
    ReactivateOrganizationForm,
)
from directory.models import Organization
from directory.services import organizations as services

PREFIX_DEACTIVATE = "deactivate"
PREFIX_REACTIVATE = "reactivate"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _organization_url(organization) -> str:
    return reverse("directory_organization", args=[organization.pk])


def _managed_organization(request, pk) -> Organization:
    """404 when unknown, 403 when the user may not manage it."""
    organization = get_object_or_404(Organization.objects.select_related("type"), pk=pk)
    _require(perms.can_manage_organization(request.user, organization))
    return organization


def _directory_link() -> dict:
    return {"url": f"{reverse('directory_index')}?vue=organisations", "title": _("Directory")}


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request):
    _require(perms.can_create_organization(request.user))
    form = OrganizationForm(request.POST if request.method == "POST" else None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        organization = services.create_organization(
            by=request.user,
            data=form.organization_data(),
            territories=form.cleaned_data["territories"],
        )
        messages.success(
            request, _("The organisation “%(name)s” is created.") % {"name": organization.name}
        )
        return redirect(_organization_url(organization))
    title = _("Add an organisation")
    return render(
        request,
        "directory/annuaire/organization_form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": f"{reverse('directory_index')}?vue=organisations",
            "submit_label": _("Create the organisation"),
            "breadcrumb_data": {"links": [_directory_link()], "current": title},
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk):
    organization = _managed_organization(request, pk)
    form = OrganizationForm(
        request.POST if request.method == "POST" else None,
        admin=request.user,
        organization=organization,
    )
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_organization(
                organization=organization,
                by=request.user,
                data=form.organization_data(),
                territories=form.cleaned_data["territories"],
                base_version=form.cleaned_data["version"] or None,
            )
        except services.Conflict as conflict:
            status = refusals.show_conflict(form, message=conflict.message, base=conflict.version)
        else:
            if changed:
                messages.success(request, _("The organisation is saved."))
            else:
                messages.info(request, _("Nothing has changed."))
            return redirect(_organization_url(organization))
    title = _("Edit the organisation")
    return render(
        request,
        "directory/annuaire/organization_form.html",
        {
            "title": title,
            "form": form,
            "organization": organization,
            "cancel_url": _organization_url(organization),
            "submit_label": _("Save"),
            "breadcrumb_data": {
                "links": [
                    _directory_link(),
                    {"url": _organization_url(organization), "title": organization.name},
                ],
                "current": title,
            },
        },
        status=status,
    )


def _status_page(request, organization, form, *, title, action_url, submit_label, status=200):
    """The confirmation page (without JavaScript, or with the errors of the dialog's form)."""
    return render(
        request,
        "directory/annuaire/organization_status.html",
        {
            "title": title,
            "organization": organization,
            "form": form,
            "action_url": action_url,
            "submit_label": submit_label,
            "active_members": organization.users.filter(is_active=True).count(),
            "breadcrumb_data": {
                "links": [
                    _directory_link(),
                    {"url": _organization_url(organization), "title": organization.name},
                ],
                "current": title,
            },
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_deactivate(request, pk):
    organization = _managed_organization(request, pk)
    if not organization.is_active and request.method == "GET":
        return redirect(_organization_url(organization))
    form = DeactivateOrganizationForm(
        request.POST if request.method == "POST" else None,
        organization=organization,
        prefix=PREFIX_DEACTIVATE,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.deactivate_organization(
                organization=organization, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AlreadyDone as refusal:
            return refusals.already_done(request, refusal, _organization_url(organization))
        messages.success(
            request, _("The organisation “%(name)s” is deactivated.") % {"name": organization}
        )
        return redirect(_organization_url(organization))
    return _status_page(
        request,
        organization,
        form,
        title=_("Deactivate the organisation"),
        action_url=reverse("directory_organization_deactivate", args=[organization.pk]),
        submit_label=_("Deactivate the organisation"),
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def organization_reactivate(request, pk):
    organization = _managed_organization(request, pk)
    form = ReactivateOrganizationForm(
        request.POST, organization=organization, prefix=PREFIX_REACTIVATE
    )
    if not form.is_valid():
        return _status_page(
            request,
            organization,
            form,
            title=_("Reactivate the organisation"),
            action_url=reverse("directory_organization_reactivate", args=[organization.pk]),
            submit_label=_("Reactivate the organisation"),
            status=400,
        )
    try:
        services.reactivate_organization(
            organization=organization, by=request.user, reason=form.cleaned_data["reason"]
        )
    except services.AlreadyDone as refusal:
        return refusals.already_done(request, refusal, _organization_url(organization))
    messages.success(
        request, _("The organisation “%(name)s” is active again.") % {"name": organization}
    )
    return redirect(_organization_url(organization))
