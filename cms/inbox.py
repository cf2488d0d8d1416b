"""The inbox of the messages the public sends: what each administrator reads (`cms.perms`),
how many are waiting, and marking them handled or reopening them (recorded on the message and
in Wagtail's audit log)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, Count, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from cms import perms
from cms.models import ContactMessage, SiteReport
from directory.models import Department

ACTION_HANDLED = "cms.submission.handled"
ACTION_REOPENED = "cms.submission.reopened"


@dataclass(frozen=True)
class Kind:
    """One kind of submission in the inbox: its model, URL slug and where its department is."""

    slug: str
    model: type
    department_path: str
    label: str
    related: tuple

    def visible_to(self, user):
        return (
            self.model.objects.filter(perms.submissions_q(user, self.department_path))
            .select_related(*self.related)
            .order_by("-created_at", "-pk")
        )


MESSAGES = Kind(
    slug="messages",
    model=ContactMessage,
    department_path="department",
    label=_("Contact messages"),
    related=("department",),
)
REPORTS = Kind(
    slug="signalements",
    model=SiteReport,
    department_path="commune__department",
    label=_("Site reports"),
    related=("commune__department",),
)
KINDS = {kind.slug: kind for kind in (MESSAGES, REPORTS)}


def kind_of(submission) -> Kind:
    return MESSAGES if isinstance(submission, ContactMessage) else REPORTS


def departments_of(user):
    """The departments the user reads messages about (for the inbox's filter)."""
    scope = perms.inbox_areas(user)
    if scope is None:
        return Department.objects.none()
    if scope == "national":
        return Department.objects.order_by("code")
    departments, regions = scope
    return Department.objects.filter(Q(code__in=departments) | Q(region_id__in=regions)).order_by(
        "code"
    )


def unhandled_counts(user) -> dict[str, int] | None:
    """Messages and reports waiting for the user, per kind, in one query; None without an
    inbox."""
    if not perms.can_use_inbox(user):
        return None
    querysets = [
        kind.model.objects.filter(perms.submissions_q(user, kind.department_path), handled=False)
        .order_by()
        .annotate(kind=Value(slug, output_field=CharField()))
        .values("kind")
        .annotate(count=Count("pk"))
        for slug, kind in KINDS.items()
    ]
    counts = dict.fromkeys(KINDS, 0)
    for row in querysets[0].union(*querysets[1:], all=True):
        counts[row["kind"]] = row["count"]
    return counts


def unhandled_counts_for_request(request) -> dict[str, int] | None:
    """`unhandled_counts` of the request's user, computed once per request."""
    if not hasattr(request, "_cms_inbox_unhandled"):
        user = getattr(request, "user", None)
        request._cms_inbox_unhandled = (
            unhandled_counts(user) if user is not None and user.is_authenticated else None
        )
    return request._cms_inbox_unhandled


def _set_handled(submission, *, handled: bool, by, action: str) -> bool:
    """Change the state; False when it already was so (nothing recorded then)."""
    with transaction.atomic():
        locked = type(submission).objects.select_for_update().get(pk=submission.pk)
        if locked.handled == handled:
            submission.handled = locked.handled
            submission.handled_at, submission.handled_by_id = (
                locked.handled_at,
                locked.handled_by_id,
            )
            return False
        submission.handled = handled
        submission.handled_at = timezone.now() if handled else None
        submission.handled_by = by if handled else None
        submission.save(update_fields=["handled", "handled_at", "handled_by"])
        log(instance=submission, action=action, user=by)
    return True


def mark_handled(submission, *, by) -> bool:
    return _set_handled(submission, handled=True, by=by, action=ACTION_HANDLED)


def reopen(submission, *, by) -> bool:
    return _set_handled(submission, handled=False, by=by, action=ACTION_REOPENED)
