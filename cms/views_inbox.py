"""The inbox: contact messages and site reports, listed to the administrators they are routed
to (`cms.perms`), with their details, « Marquer comme traité » and « Rouvrir ».

Without the right: 403; a message of another department: 404, as if it did not exist."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import ModelLogEntry

from cms import inbox, perms
from cms.forms import InboxFilterForm

PAGE_SIZE = 25


def _kind(slug) -> inbox.Kind:
    try:
        return inbox.KINDS[slug]
    except KeyError:
        raise Http404 from None


def _require_inbox(user) -> None:
    if not perms.can_use_inbox(user):
        raise PermissionDenied


def detail_url(submission) -> str:
    return reverse("inbox:detail", args=[inbox.kind_of(submission).slug, submission.pk])


@login_required
def inbox_list(request, kind=inbox.MESSAGES.slug):
    user = request.user
    _require_inbox(user)
    kind = _kind(kind)
    filters = InboxFilterForm(request.GET or None, departments=inbox.departments_of(user))
    status, department = filters.filters()
    visible = kind.visible_to(user)
    if department is not None:
        visible = visible.filter(**{kind.department_path: department})
    totals = visible.aggregate(
        to_handle=Count("pk", filter=Q(handled=False)),
        handled=Count("pk", filter=Q(handled=True)),
    )
    counts = {
        InboxFilterForm.TO_HANDLE: totals["to_handle"],
        InboxFilterForm.HANDLED: totals["handled"],
        InboxFilterForm.ALL: totals["to_handle"] + totals["handled"],
    }
    shown = visible
    if status == InboxFilterForm.TO_HANDLE:
        shown = visible.filter(handled=False)
    elif status == InboxFilterForm.HANDLED:
        shown = visible.filter(handled=True)
    paginator = Paginator(shown, PAGE_SIZE)
    paginator.count = counts[status]  # known already: spare the paginator its COUNT query
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.pages_list = list(
        paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )
    waiting = inbox.unhandled_counts_for_request(request) or {}
    status_links = [
        (value, label, counts[value]) for value, label in filters.fields["statut"].choices
    ]
    return render(
        request,
        "cms/inbox/list.html",
        {
            "title": _("Messages received") + " — " + str(kind.label),
            "kind": kind,
            "kinds": [
                (other, waiting.get(other.slug, 0), other is kind) for other in inbox.KINDS.values()
            ],
            "filters": filters,
            "status": status,
            "department": department,
            "status_links": status_links,
            "page_obj": page_obj,
            "breadcrumb_data": {"current": _("Messages received")},
        },
    )


def _get_visible(request, kind, pk):
    _require_inbox(request.user)
    return get_object_or_404(kind.visible_to(request.user).select_related("handled_by"), pk=pk)


def _reply_link(kind, submission) -> str | None:
    email = submission.email if kind is inbox.MESSAGES else submission.reporter_email
    if not email:
        return None
    if kind is inbox.MESSAGES:
        subject = _("Your message to Résorption-bidonvilles")
    else:
        subject = _("Your site report to Résorption-bidonvilles")
    return f"mailto:{quote(email, safe='@')}?subject={quote(subject)}"


@login_required
def inbox_detail(request, kind, pk):
    kind = _kind(kind)
    submission = _get_visible(request, kind, pk)
    history = (
        ModelLogEntry.objects.for_instance(submission)
        .filter(action__in=[inbox.ACTION_HANDLED, inbox.ACTION_REOPENED])
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )
    list_url = reverse("inbox:list" if kind is inbox.MESSAGES else "inbox:reports")
    return render(
        request,
        f"cms/inbox/{'message' if kind is inbox.MESSAGES else 'report'}_detail.html",
        {
            "title": str(submission),
            "kind": kind,
            "submission": submission,
            "reply_url": _reply_link(kind, submission),
            "history": history,
            "list_url": list_url,
            "breadcrumb_data": {
                "links": [
                    {"url": reverse("inbox:list"), "title": _("Messages received")},
                    {"url": list_url, "title": str(kind.label)},
                ],
                "current": str(submission),
            },
        },
    )


@login_required
@require_POST
def inbox_mark_handled(request, kind, pk):
    submission = _get_visible(request, _kind(kind), pk)
    if inbox.mark_handled(submission, by=request.user):
        messages.success(request, _("Marked as handled."))
    else:
        messages.info(request, _("This was already marked as handled."))
    return redirect(detail_url(submission))


@login_required
@require_POST
def inbox_reopen(request, kind, pk):
    submission = _get_visible(request, _kind(kind), pk)
    if inbox.reopen(submission, by=request.user):
        messages.success(request, _("Reopened: it is back among the ones to handle."))
    else:
        messages.info(request, _("This was already waiting to be handled."))
    return redirect(detail_url(submission))
