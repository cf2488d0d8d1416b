"""Notifications, email preferences, one-click unsubscribe and the activity feed."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from notifications.models import Notification

from activity import feed as activity_feed
from activity import preferences, services
from activity.enums import NotificationKind
from activity.forms import FeedFilterForm, PreferencesForm
from activity.templatetags.activity_tags import unread_count
from core import navigation
from directory.models import User

PAGE_SIZE = 20


def _paginate(request, queryset, size=PAGE_SIZE):
    paginator = Paginator(queryset, size)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.pages_list = list(
        paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )
    return page_obj


def _own_notifications(user):
    return Notification.objects.filter(recipient=user, deleted=False)


# --- Notifications ------------------------------------------------------------------------------


@login_required
def notification_list(request):
    notifications = _own_notifications(request.user).order_by("-timestamp", "-pk")
    page_obj = _paginate(
        request,
        notifications.only("pk", "verb", "timestamp", "unread", "data"),
    )
    return render(
        request,
        "activity/notification_list.html",
        {
            "title": _("Notifications"),
            "page_obj": page_obj,
            "unread_count": unread_count(request),
            "breadcrumb_data": {"current": _("Notifications")},
        },
    )


@login_required
def notification_open(request, pk):
    """Mark the notification read and go to what it is about."""
    notification = get_object_or_404(_own_notifications(request.user), pk=pk)
    services.mark_read(notification=notification)
    url = (notification.data or {}).get("url") or ""
    if navigation.is_safe(request, url):
        return redirect(url)
    return redirect("activity:list")


@login_required
@require_POST
def notification_mark_read(request, pk):
    notification = get_object_or_404(_own_notifications(request.user), pk=pk)
    services.mark_read(notification=notification)
    messages.success(request, _("The notification is marked as read."))
    return redirect(navigation.next_url(request, reverse("activity:list")))


@login_required
@require_POST
def notification_mark_all_read(request):
    if services.mark_all_read(user=request.user):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect(navigation.next_url(request, reverse("activity:list")))


# --- Email preferences --------------------------------------------------------------------------


@login_required
def preferences_view(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your email preferences are saved."))
        return redirect("activity:preferences")
    return render(
        request,
        "activity/preferences.html",
        {
            "title": _("Email preferences"),
            "form": form,
            "breadcrumb_data": {
                "links": [{"url": reverse("account"), "title": _("My account")}],
                "current": _("Email preferences"),
            },
        },
    )


@csrf_exempt  # RFC 8058: mail clients post without a cookie; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe from one kind of email, without logging in.

    GET shows a confirmation button (link scanners must not unsubscribe anyone); POST, from
    that button or from the mail client (`List-Unsubscribe-Post`), turns the kind off."""
    value = preferences.read_unsubscribe_token(token)
    user = User.objects.filter(pk=value[0]).first() if value else None
    if user is None:
        raise Http404
    kind = NotificationKind(value[1])
    done = False
    if request.method == "POST":
        preferences.set_preference(user, kind.value, False)
        done = True
    return render(
        request,
        "activity/unsubscribe.html",
        {"title": _("Unsubscribe"), "kind": kind, "done": done, "email": user.email},
    )


# --- Activity feed ------------------------------------------------------------------------------


@login_required
def activity_feed_view(request):
    departments = activity_feed.departments_for(request.user)
    form = FeedFilterForm(request.GET or None, departments=departments)
    types, department = None, ""
    if form.is_bound and form.is_valid():
        types = [form.cleaned_data["type"]] if form.cleaned_data["type"] else None
        department = form.cleaned_data["departement"]
    before = timezone.now()
    cursor = request.GET.get("avant", "")
    if cursor:
        try:
            before = datetime.fromisoformat(cursor)
        except ValueError:
            before = timezone.now()
        if timezone.is_naive(before):
            before = timezone.make_aware(before)
    items, next_before = activity_feed.feed(
        request.user, before=before, types=types, department=department, request=request
    )
    filters = {key: value for key, value in request.GET.items() if key in ("type", "departement")}
    latest_url = reverse("activity:feed") + (f"?{urlencode(filters)}" if filters else "")
    next_url = ""
    if next_before is not None:
        next_url = (
            f"{reverse('activity:feed')}?{urlencode({**filters, 'avant': next_before.isoformat()})}"
        )
    return render(
        request,
        "activity/feed.html",
        {
            "title": _("Activity"),
            "form": form,
            "items": items,
            "next_url": next_url,
            "latest_url": latest_url,
            "is_older": bool(cursor),
            "is_filtered": bool(types or department),
            "breadcrumb_data": {"current": _("Activity")},
        },
    )
