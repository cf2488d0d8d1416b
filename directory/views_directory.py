"""The directory ("Annuaire") of organisations and people, and the administration of accounts.

Every page is for logged-in users only. Each page runs a fixed number of SQL queries whatever
the number of users, organisations or areas (tests/directory/test_annuaire.py proves it).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import ModelLogEntry

from directory import perms, refusals
from directory.enums import Role, Topic, UserStatus
from directory.forms_directory import (
    VIEW_ORGANIZATIONS,
    VIEW_PEOPLE,
    AdminCommentsForm,
    ChangeOptionsForm,
    ChangeRoleForm,
    DeactivateUserForm,
    DirectoryFilterForm,
    MainAreaForm,
    ReactivateUserForm,
    is_deactivated,
)
from directory.forms_organizations import DeactivateOrganizationForm, ReactivateOrganizationForm
from directory.models import InterventionArea, Organization, User
from directory.permission_matrix import ROLE_ORDER, Feature, Scope
from directory.services import users as user_services
from directory.views_organizations import PREFIX_DEACTIVATE as PREFIX_ORG_DEACTIVATE
from directory.views_organizations import PREFIX_REACTIVATE as PREFIX_ORG_REACTIVATE

PAGE_SIZE = 20
HISTORY_SIZE = 10
TOPICS = frozenset(Topic.values)

#: Form prefixes: the forms of the person page and of the action views must agree.
PREFIX_DEACTIVATE = "deactivate"
PREFIX_REACTIVATE = "reactivate"
PREFIX_ROLE = "role"
PREFIX_AREA = "area"
PREFIX_COMMENTS = "comments"
PREFIX_OPTIONS = "options"


def _areas():
    return InterventionArea.objects.with_territories()


def _active_members():
    return User.objects.active().order_by("last_name", "first_name", "pk")


def _is_listed(user) -> bool:
    return user.is_active and user.status == UserStatus.ACTIVE


def topic_labels(values) -> list[str]:
    return [Topic(value).label for value in values or [] if value in TOPICS]


def _paginate(request, queryset):
    """The requested page; a missing, malformed or out-of-range number gives the first or the
    last page rather than an error."""
    paginator = Paginator(queryset, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.pages_list = list(
        paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )
    return page_obj


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Directory ----------------------------------------------------------------------------------


@login_required
def directory_index(request):
    _require(perms.can(request.user, Feature.USER_LIST))
    show_inactive = perms.is_admin(request.user)
    form = DirectoryFilterForm(request.GET, show_inactive_filter=show_inactive)
    include_inactive = show_inactive and form.include_inactive

    if form.view == VIEW_PEOPLE:
        queryset = User.objects.all() if include_inactive else User.objects.active()
        page_obj = _paginate(request, form.filter_users(queryset).for_directory())
        for person in page_obj:
            person.shown_areas = person.own_areas or (
                person.organization.organization_areas if person.organization else []
            )
            person.is_listed = _is_listed(person)
            person.topic_labels = topic_labels(person.expertise_topics)
    else:
        queryset = Organization.objects.all() if include_inactive else Organization.objects.active()
        page_obj = _paginate(request, form.filter_organizations(queryset).for_directory())

    switch_urls = {}
    for view in (VIEW_ORGANIZATIONS, VIEW_PEOPLE):
        params = request.GET.copy()
        params.pop("page", None)
        params["vue"] = view
        switch_urls[view] = f"?{params.urlencode()}"
    return render(
        request,
        "directory/annuaire/index.html",
        {
            "title": _("Directory"),
            "form": form,
            "view": form.view,
            "switch_urls": switch_urls,
            "reset_url": f"?vue={form.view}",
            "page_obj": page_obj,
            "is_filtered": form.is_filtered(),
            "can_see_roles": perms.is_admin(request.user),
            "can_create_organization": perms.can_create_organization(request.user),
            "breadcrumb_data": {"current": _("Directory")},
        },
    )


@login_required
def organization_detail(request, pk):
    _require(perms.can(request.user, Feature.USER_READ))
    organization = get_object_or_404(Organization.objects.select_related("type"), pk=pk)
    if not organization.is_active and not perms.is_admin(request.user):
        raise Http404
    members = list(
        _active_members()
        .filter(organization=organization)
        .prefetch_related(Prefetch("intervention_areas", queryset=_areas(), to_attr="own_areas"))
    )
    areas = list(_areas().select_related("commune__department").filter(organization=organization))
    organization.managed_areas = areas
    can_manage = perms.can_manage_organization(request.user, organization)
    extra = {"can_manage": can_manage}
    if can_manage:
        extra["history"] = list(
            ModelLogEntry.objects.for_instance(organization)
            .filter(action__startswith="directory.")
            .select_related("user")
            .order_by("-timestamp", "-pk")[:HISTORY_SIZE]
        )
        if organization.is_active:
            extra["deactivate_form"] = DeactivateOrganizationForm(prefix=PREFIX_ORG_DEACTIVATE)
        else:
            extra["reactivate_form"] = ReactivateOrganizationForm(prefix=PREFIX_ORG_REACTIVATE)
    return render(
        request,
        "directory/annuaire/organization.html",
        {
            "title": organization.name,
            "organization": organization,
            "areas": areas,
            "members": members,
            **extra,
            "breadcrumb_data": {
                "links": [{"url": reverse("directory_index"), "title": _("Directory")}],
                "current": organization.name,
            },
        },
    )


def _person_context(request, person) -> dict:
    """What the person page shows; the admin forms only to the admins allowed to use them."""
    viewer = request.user
    own_areas = list(_areas().filter(user=person))
    areas = own_areas
    if not own_areas and person.organization_id:
        areas = list(_areas().filter(organization_id=person.organization_id))
    can_manage = perms.can_manage_user(viewer, person)
    can_read_comments = perms.can_read_admin_comments(viewer, person)
    context = {
        "title": str(person),
        "person": person,
        "areas": areas,
        "areas_are_own": bool(own_areas),
        "topics": topic_labels(person.expertise_topics),
        "is_listed": _is_listed(person),
        "can_read_admin_comments": can_read_comments,
        "can_manage": can_manage,
        "can_anonymize": perms.can_anonymize_user(viewer, person),
        "can_read_sign_ins": perms.can_read_sign_in_log(viewer, person),
        "breadcrumb_data": {
            "links": [
                {"url": f"{reverse('directory_index')}?vue={VIEW_PEOPLE}", "title": _("Directory")}
            ],
            "current": str(person),
        },
    }
    if can_read_comments:
        context["history"] = list(
            ModelLogEntry.objects.for_instance(person)
            .filter(action__startswith="directory.")
            .select_related("user")
            .order_by("-timestamp", "-pk")[:HISTORY_SIZE]
        )
    if can_manage:
        main_area = next((area for area in own_areas if area.is_main), None)
        area_initial = {}
        if main_area is not None:
            area_initial = {
                "national": main_area.territory is None,
                "territory": main_area.territory,
            }
        deactivated = is_deactivated(person)
        context.update(
            {
                "is_deactivated": deactivated,
                "can_reactivate": deactivated and perms.can(viewer, Feature.USER_ACTIVATE, person),
                "deactivate_form": DeactivateUserForm(prefix=PREFIX_DEACTIVATE),
                "reactivate_form": ReactivateUserForm(prefix=PREFIX_REACTIVATE),
                "role_form": ChangeRoleForm(admin=viewer, person=person, prefix=PREFIX_ROLE),
                "options_form": ChangeOptionsForm(person=person, prefix=PREFIX_OPTIONS),
                "area_form": MainAreaForm(admin=viewer, prefix=PREFIX_AREA, initial=area_initial),
                "comments_form": AdminCommentsForm(
                    prefix=PREFIX_COMMENTS,
                    initial={
                        "admin_comments": person.admin_comments,
                        "base": user_services.comments_base(person.admin_comments),
                    },
                ),
            }
        )
    return context


@login_required
def person_detail(request, pk):
    _require(perms.can(request.user, Feature.USER_READ))
    person = get_object_or_404(User.objects.select_related("organization__type"), pk=pk)
    if not _is_listed(person) and not perms.is_admin(request.user):
        raise Http404
    return render(request, "directory/annuaire/person.html", _person_context(request, person))


@login_required
def role_matrix(request):
    _require(perms.is_admin(request.user))
    scopes = {scope: Scope(scope) for scope in Scope.values}
    rows = [
        (label, [scopes[scope] for scope in cells]) for label, cells in perms.matrix_for_display()
    ]
    return render(
        request,
        "directory/annuaire/roles.html",
        {
            "title": _("Roles and permissions"),
            "roles": [Role(role).label for role in ROLE_ORDER],
            "rows": rows,
            "breadcrumb_data": {
                "links": [{"url": reverse("directory_index"), "title": _("Directory")}],
                "current": _("Roles and permissions"),
            },
        },
    )


# --- Account administration (POST only) --------------------------------------------------------


def _managed_person(request, pk) -> User:
    """The account an admin acts on: 404 when unknown, 403 when they may not manage it."""
    person = get_object_or_404(User.objects.select_related("organization"), pk=pk)
    _require(perms.can_manage_user(request.user, person))
    return person


def _person_url(person) -> str:
    return reverse("directory_person", args=[person.pk])


def _invalid(request, person, form, *, title, action_url, status=400):
    """The form again, with its errors, on a page of its own (HTTP 400, or 409 for a
    conflict)."""
    return render(
        request,
        "directory/annuaire/admin_form.html",
        {
            "title": title,
            "person": person,
            "form": form,
            "action_url": action_url,
            "breadcrumb_data": {
                "links": [
                    {"url": reverse("directory_index"), "title": _("Directory")},
                    {"url": _person_url(person), "title": str(person)},
                ],
                "current": title,
            },
        },
        status=status,
    )


@login_required
@require_POST
def person_deactivate(request, pk):
    person = _managed_person(request, pk)
    form = DeactivateUserForm(request.POST, person=person, prefix=PREFIX_DEACTIVATE)
    if not form.is_valid():
        return _invalid(
            request,
            person,
            form,
            title=_("Deactivate the account"),
            action_url=reverse("directory_person_deactivate", args=[person.pk]),
        )
    try:
        user_services.deactivate_user(
            user=person, by=request.user, reason=form.cleaned_data["reason"]
        )
    except user_services.AlreadyDone as refusal:
        return refusals.already_done(request, refusal, _person_url(person))
    messages.success(request, _("The account of %(name)s is deactivated.") % {"name": person})
    return redirect(_person_url(person))


@login_required
@require_POST
def person_reactivate(request, pk):
    person = _managed_person(request, pk)
    _require(perms.can(request.user, Feature.USER_ACTIVATE, person))
    form = ReactivateUserForm(request.POST, person=person, prefix=PREFIX_REACTIVATE)
    if not form.is_valid():
        return _invalid(
            request,
            person,
            form,
            title=_("Reactivate the account"),
            action_url=reverse("directory_person_reactivate", args=[person.pk]),
        )
    try:
        user_services.reactivate_user(
            user=person, by=request.user, reason=form.cleaned_data["reason"]
        )
    except user_services.AlreadyDone as refusal:
        return refusals.already_done(request, refusal, _person_url(person))
    messages.success(request, _("The account of %(name)s is active again.") % {"name": person})
    return redirect(_person_url(person))


@login_required
@require_POST
def person_change_role(request, pk):
    person = _managed_person(request, pk)
    form = ChangeRoleForm(request.POST, admin=request.user, prefix=PREFIX_ROLE)
    if not form.is_valid():
        return _invalid(
            request,
            person,
            form,
            title=_("Change the role"),
            action_url=reverse("directory_person_role", args=[person.pk]),
        )
    if user_services.change_role(user=person, by=request.user, role=form.cleaned_data["role"]):
        messages.success(
            request,
            _("%(name)s is now “%(role)s”.") % {"name": person, "role": person.get_role_display()},
        )
    else:
        messages.info(request, _("The role has not changed."))
    return redirect(_person_url(person))


@login_required
@require_POST
def person_change_area(request, pk):
    person = _managed_person(request, pk)
    form = MainAreaForm(request.POST, admin=request.user, prefix=PREFIX_AREA)
    if not form.is_valid():
        return _invalid(
            request,
            person,
            form,
            title=_("Change the main intervention area"),
            action_url=reverse("directory_person_area", args=[person.pk]),
        )
    area = user_services.set_main_area(
        user=person, by=request.user, territory=form.chosen_territory
    )
    messages.success(
        request,
        _("The main intervention area of %(name)s is now “%(area)s”.")
        % {"name": person, "area": area},
    )
    return redirect(_person_url(person))


@login_required
@require_POST
def person_edit_comments(request, pk):
    person = _managed_person(request, pk)
    form = AdminCommentsForm(request.POST, prefix=PREFIX_COMMENTS)
    if not form.is_valid():
        return _invalid(
            request,
            person,
            form,
            title=_("Comments of the administrators"),
            action_url=reverse("directory_person_comments", args=[person.pk]),
        )
    try:
        changed = user_services.update_admin_comments(
            user=person,
            by=request.user,
            comments=form.cleaned_data["admin_comments"],
            base=form.cleaned_data["base"] or None,
        )
    except user_services.Conflict as conflict:
        status = refusals.show_conflict(form, message=conflict.message, base=conflict.base)
        return _invalid(
            request,
            person,
            form,
            title=_("Comments of the administrators"),
            action_url=reverse("directory_person_comments", args=[person.pk]),
            status=status,
        )
    if changed:
        messages.success(request, _("The comments of the administrators are saved."))
    else:
        messages.info(request, _("The comments have not changed."))
    return redirect(_person_url(person))


@login_required
@require_POST
def person_change_options(request, pk):
    person = _managed_person(request, pk)
    form = ChangeOptionsForm(request.POST, prefix=PREFIX_OPTIONS)
    if not form.is_valid():
        return _invalid(
            request,
            person,
            form,
            title=_("Change the options"),
            action_url=reverse("directory_person_options", args=[person.pk]),
        )
    if user_services.change_options(
        user=person,
        by=request.user,
        options=form.cleaned_data["options"],
        base=form.cleaned_data["base"],
    ):
        messages.success(request, _("The options of %(name)s are saved.") % {"name": person})
    else:
        messages.info(request, _("The options have not changed."))
    return redirect(_person_url(person))
