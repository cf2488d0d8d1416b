"""The administrators' daily tools: the accounts of their territory (filters, export, bulk
reminders), creating an account directly; and, for national admins, the permission exceptions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import ModelLogEntry

from core import spreadsheets
from directory import perms
from directory.forms_access import AdminAccountForm
from directory.forms_accounts_admin import AccountFilterForm
from directory.models import Organization, PermissionException
from directory.permission_matrix import Feature
from directory.services import access_requests
from directory.services import territory_accounts as services
from directory.views_access import _base_url

PAGE_SIZE = 50


def _require(condition) -> None:
    if not condition:
        raise PermissionDenied


def _filtered(request):
    admin = request.user
    accounts = services.accounts_of(admin)
    organizations = Organization.objects.filter(
        pk__in=accounts.order_by().values("organization_id")
    ).order_by("name")
    form = AccountFilterForm(request.GET or None, organizations=organizations)
    filters = form.filters()
    return form, filters, services.filter_accounts(accounts, **filters)


@login_required
def account_list(request):
    admin = request.user
    _require(perms.is_admin(admin) and perms.can(admin, Feature.USER_CREATE))
    form, filters, accounts = _filtered(request)
    page_obj = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/accounts_admin/list.html",
        {
            "title": _("Accounts of my territory"),
            "filters": form,
            "page_obj": page_obj,
            "query": query.urlencode(),
            "can_export": perms.can(admin, Feature.USER_EXPORT),
        },
    )


@login_required
@require_POST
def account_remind(request):
    """Bulk reminders: a new activation link to the ticked accounts that never activated."""
    admin = request.user
    _require(perms.is_admin(admin) and perms.can(admin, Feature.USER_CREATE))
    ids = [value for value in request.POST.getlist("accounts") if value.isdigit()]
    users = list(services.accounts_of(admin).filter(pk__in=ids)) if ids else []
    count = services.remind_unactivated(admin=admin, users=users, base_url=_base_url(request))
    if count:
        messages.success(
            request,
            _("%(count)s new activation link(s) sent.") % {"count": count},
        )
    else:
        messages.info(request, _("No ticked account was waiting for its activation."))
    return redirect(reverse("accounts_admin_list") + "?" + request.POST.get("query", ""))


@login_required
def account_export(request):
    admin = request.user
    _require(perms.is_admin(admin) and perms.can(admin, Feature.USER_EXPORT))
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    _form, filters, accounts = _filtered(request)
    described = {
        name: str(value.pk if hasattr(value, "pk") else value) for name, value in filters.items()
    }
    content = services.export_users(
        admin=admin, users=accounts, file_format=file_format, filters=described
    )
    name = f"utilisateurs-{timezone.localdate().isoformat()}"
    return spreadsheets.file_response(content, file_format=file_format, name=name)


@login_required
def account_create(request):
    admin = request.user
    _require(perms.is_admin(admin) and perms.can(admin, Feature.USER_CREATE))
    roles = perms.grantable_roles(admin)
    form = AdminAccountForm(request.POST if request.method == "POST" else None, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.account_data()
        try:
            user = access_requests.create_account(admin=admin, base_url=_base_url(request), **data)
        except PermissionDenied:
            form.add_error(
                "territory", _("This territory is outside yours: you cannot create this account.")
            )
        except access_requests.AccessRequestError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("The account of %(name)s is created: the activation link was sent to %(email)s.")
                % {"name": user, "email": user.email},
            )
            return redirect("directory_person", pk=user.pk)
    return render(
        request,
        "directory/accounts_admin/create.html",
        {"title": _("Create an account"), "form": form},
    )


@login_required
def permission_exceptions(request):
    _require(perms.can_read_permission_exceptions(request.user))
    exceptions = PermissionException.objects.select_related("user", "organization").order_by(
        "-created_at", "pk"
    )
    rows = []
    granted = {
        entry.object_id: entry
        for entry in ModelLogEntry.objects.filter(
            content_type__app_label="directory",
            content_type__model="permissionexception",
            action="wagtail.create",
        ).select_related("user")
    }
    for exception in exceptions:
        entry = granted.get(str(exception.pk))
        rows.append({"exception": exception, "granted_by": entry.user if entry else None})
    return render(
        request,
        "directory/accounts_admin/exceptions.html",
        {"title": _("Permission exceptions"), "rows": rows},
    )
