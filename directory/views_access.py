"""Access requests: the public form, the administrators' screens, the account activation."""

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import ratelimit
from core.clientip import client_ip
from directory import invitations, perms
from directory.enums import AccessRequestStatus
from directory.forms_access import (
    AccessRequestFilterForm,
    AccessRequestForm,
    ActivationForm,
    ApproveForm,
    RefuseForm,
)
from directory.models import AccessRequest
from directory.services import access_requests as services
from directory.services.access_requests import AccessRequestError, ActivationState

#: Spam defences of the public form: accepted requests per client address and per email.
RATE_LIMIT_PER_IP = getattr(settings, "ACCESS_REQUEST_RATE_LIMIT_PER_IP", 5)
RATE_LIMIT_IP_WINDOW = 60 * 60  # one hour
RATE_LIMIT_PER_EMAIL = getattr(settings, "ACCESS_REQUEST_RATE_LIMIT_PER_EMAIL", 3)
RATE_LIMIT_EMAIL_WINDOW = 60 * 60 * 24  # one day
#: Submissions refused with form errors, per client address and hour (people make typos; robots
#: trying addresses make many).
RATE_LIMIT_INVALID_PER_IP = getattr(settings, "ACCESS_REQUEST_RATE_LIMIT_INVALID_PER_IP", 20)
PAGE_SIZE = 25

RATE_SCOPE = "access_request"  # rate-limit counters: see core.ratelimit


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _too_many_requests(request):
    return render(
        request,
        "rate_limited.html",
        {
            "title": _("Too many requests"),
            "message": _(
                "Too many access requests have been sent from your connection or for this email "
                "address. Please try again later."
            ),
            "advice": _(
                "If you have already sent a request, there is no need to send it again: the "
                "administrators of your territory will answer you by email."
            ),
        },
        status=429,
    )


# --- Public form --------------------------------------------------------------------------------


@never_cache
def access_request_create(request):
    """The public access request form (a logged-in user has an account already).

    A valid submission answers the same way whether the address is unknown, has an account or a
    pending request (`services.request_access` emails its owner what applies): the form never
    tells who has an account. Every submission counts in the rate limits."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    ip = client_ip(request) or "unknown"
    if request.method == "POST":
        if ratelimit.over_limit(RATE_SCOPE, "ip", ip, RATE_LIMIT_PER_IP) or ratelimit.over_limit(
            RATE_SCOPE, "invalid", ip, RATE_LIMIT_INVALID_PER_IP
        ):
            return _too_many_requests(request)
        form = AccessRequestForm(request.POST)
        if form.honeypot_filled:
            # A bot: pretend everything went well, store and send nothing.
            ratelimit.count(RATE_SCOPE, "ip", ip, RATE_LIMIT_IP_WINDOW)
            return redirect("access_request_done")
        if form.is_valid():
            email = form.cleaned_data["email"]
            if ratelimit.over_limit(RATE_SCOPE, "email", email, RATE_LIMIT_PER_EMAIL):
                return _too_many_requests(request)
            services.request_access(**form.access_request_data(), base_url=_base_url(request))
            ratelimit.count(RATE_SCOPE, "ip", ip, RATE_LIMIT_IP_WINDOW)
            ratelimit.count(RATE_SCOPE, "email", email, RATE_LIMIT_EMAIL_WINDOW)
            return redirect("access_request_done")
        ratelimit.count(RATE_SCOPE, "invalid", ip, RATE_LIMIT_IP_WINDOW)
    else:
        form = AccessRequestForm(initial=_invitation_initial(request))
    return render(
        request,
        "directory/access/request_form.html",
        {
            "title": _("Request access to the platform"),
            "form": form,
            "invited": bool(form.initial),
        },
    )


def _invitation_initial(request) -> dict:
    """The answers an invitation link fills in (`?invitation=<signed token>`, see
    `directory.invitations`): the invited address and the territory. A changed or expired
    link fills in nothing."""
    invitation = invitations.read_token(request.GET.get("invitation", ""))
    if invitation is None:
        return {}
    initial = {"email": invitation.email, "email_confirmation": invitation.email}
    if invitation.territory is not None:
        initial.update(
            territory_scope=AccessRequestForm.SCOPE_LOCAL, territory=invitation.territory
        )
    return initial


def access_request_done(request):
    return render(
        request, "directory/access/request_done.html", {"title": _("Your request has been sent")}
    )


# --- Administrators -----------------------------------------------------------------------------


def _require_admin(user) -> None:
    if not perms.is_admin(user):
        raise PermissionDenied


def _decidable(admin):
    """The requests this administrator may decide (all of them for a national scope)."""
    return AccessRequest.objects.select_related(
        "organization", "region", "department", "epci", "commune__department"
    ).filter(perms.access_requests_q(admin))


@login_required
def access_request_list(request):
    admin = request.user
    _require_admin(admin)
    decidable = _decidable(admin)
    filters = AccessRequestFilterForm(request.GET or None)
    status, query = AccessRequestStatus.PENDING.value, ""
    if filters.is_valid():
        status = filters.cleaned_data["status"] or status
        query = filters.cleaned_data["q"].strip()
    counts = Counter(
        {
            row["status"]: row["count"]
            for row in decidable.order_by().values("status").annotate(count=Count("pk"))
        }
    )
    requests_ = decidable
    if status != AccessRequestFilterForm.ALL:
        requests_ = requests_.filter(status=status)
    if query:
        requests_ = requests_.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(organization__name__icontains=query)
            | Q(new_organization_name__icontains=query)
        )
    order = "created_at" if status == AccessRequestStatus.PENDING else "-created_at"
    page_obj = Paginator(requests_.order_by(order, "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "directory/access/admin_list.html",
        {
            "title": _("Access requests"),
            "filters": filters,
            "status": status,
            "query": query,
            "page_obj": page_obj,
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in AccessRequestStatus.choices
            ],
            "total": sum(counts.values()),
        },
    )


def _get_decidable(request, pk) -> AccessRequest:
    _require_admin(request.user)
    access_request = get_object_or_404(
        AccessRequest.objects.select_related(
            "organization__type",
            "new_organization_type",
            "region",
            "department",
            "epci",
            "commune__department",
            "decided_by",
            "user",
        ),
        pk=pk,
    )
    if not perms.can_decide_access_request(request.user, access_request):
        raise Http404
    return access_request


def _render_detail(request, access_request, *, approve_form=None, refuse_form=None, status=200):
    pending = access_request.status == AccessRequestStatus.PENDING
    if pending and approve_form is None:
        approve_form = ApproveForm(
            roles=perms.grantable_roles(request.user),
            initial_role=services.default_role(access_request),
        )
    if pending and refuse_form is None:
        refuse_form = RefuseForm()
    return render(
        request,
        "directory/access/admin_detail.html",
        {
            "title": _("Access request of %(name)s") % {"name": access_request.full_name},
            "access_request": access_request,
            "territory": access_request.territory,
            "approve_form": approve_form if pending else None,
            "refuse_form": refuse_form if pending else None,
            "can_resend": services.can_resend_activation(access_request),
            "expires_at": (
                services.activation_expires_at(access_request)
                if access_request.activation_sent_at
                else None
            ),
            "breadcrumb_data": {
                "links": [{"url": reverse("access_request_list"), "title": _("Access requests")}],
                "current": access_request.full_name,
            },
        },
        status=status,
    )


@login_required
def access_request_detail(request, pk):
    access_request = _get_decidable(request, pk)
    return _render_detail(request, access_request)


@login_required
@require_POST
def access_request_approve(request, pk):
    access_request = _get_decidable(request, pk)
    form = ApproveForm(
        request.POST,
        roles=perms.grantable_roles(request.user),
        initial_role=services.default_role(access_request),
    )
    if not form.is_valid():
        return _render_detail(request, access_request, approve_form=form)
    try:
        services.approve_access_request(
            access_request=access_request,
            admin=request.user,
            role=form.cleaned_data["role"],
            base_url=_base_url(request),
        )
    except AccessRequestError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The request is approved: %(email)s received a link to activate the account.")
            % {"email": access_request.email},
        )
    return redirect("access_request_detail", pk=access_request.pk)


@login_required
@require_POST
def access_request_refuse(request, pk):
    access_request = _get_decidable(request, pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, access_request, refuse_form=form)
    try:
        services.refuse_access_request(
            access_request=access_request, admin=request.user, message=form.cleaned_data["message"]
        )
    except AccessRequestError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The request is refused: %(email)s received your message.")
            % {"email": access_request.email},
        )
    return redirect("access_request_detail", pk=access_request.pk)


@login_required
@require_POST
def access_request_resend(request, pk):
    access_request = _get_decidable(request, pk)
    try:
        services.resend_activation(
            access_request=access_request, admin=request.user, base_url=_base_url(request)
        )
    except AccessRequestError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A new activation link, valid 8 days, has been sent to %(email)s.")
            % {"email": access_request.email},
        )
    return redirect("access_request_detail", pk=access_request.pk)


# --- Activation ---------------------------------------------------------------------------------


@never_cache
def account_activate(request, token):
    """The applicant chooses a password; the account opens and the user is logged in."""
    check = services.check_activation_token(token)
    if not check.is_valid:
        return render(
            request,
            "directory/access/activation_invalid.html",
            {"title": _("This link no longer works"), "state": check.state},
            status=404 if check.state == ActivationState.INVALID else 410,
        )
    user = check.access_request.user
    form = ActivationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.activate_account(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except AccessRequestError:
            return redirect("account_activate", token=token)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your account is active. Welcome!"))
        return redirect("dashboard")
    return render(
        request,
        "directory/access/activation_form.html",
        {
            "title": _("Activate my account"),
            "form": form,
            "account": user,
            "expires_at": services.activation_expires_at(check.access_request),
        },
    )
