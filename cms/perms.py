"""Who may read the messages the public sends (contact messages, site reports) in the inbox.

The rule follows the routing of `cms.contact`: a message about a department goes to the local
administrators whose intervention areas cover the whole department (a department or region
area; a commune or EPCI area does not), so those are the ones who read it. National
administrators (and superusers) read everything, including the messages without a department.
Marking a message as handled, or reopening it, needs the same right as reading it.
"""

from django.db.models import Q

from directory import perms as directory_perms
from directory.enums import Role


def _is_national(user) -> bool:
    return user.is_superuser or user.role == Role.NATIONAL_ADMIN


def inbox_areas(user):
    """`None` when the user has no inbox; "national" for every department; otherwise the
    (department codes, region codes) the user's areas cover as a whole."""
    if not directory_perms.is_admin(user):
        return None
    if _is_national(user):
        return "national"
    areas = directory_perms.areas_of(user)
    if areas.national:
        return "national"
    if not (areas.departments or areas.regions):
        return None
    return frozenset(areas.departments), frozenset(areas.regions)


def can_use_inbox(user) -> bool:
    return inbox_areas(user) is not None


def submissions_q(user, department_path: str) -> Q:
    """The rows whose department (reached by `department_path`) the user may read."""
    scope = inbox_areas(user)
    if scope is None:
        return Q(pk__in=[])
    if scope == "national":
        return Q()
    departments, regions = scope
    return Q(**{f"{department_path}__in": departments}) | Q(
        **{f"{department_path}__region_id__in": regions}
    )


# --- Documents (Wagtail's document library) ------------------------------------------------------


def may_download_document(request, document) -> bool:
    """Documents follow the privacy of what uses them (Wagtail's reference index): used by a
    setting or a snippet (shown on public pages), or by a live page whose view restrictions the
    request passes — a public page, a reserved guide for a logged-in member... Used by nothing:
    logged-in users only. Editors of the admin download everything."""
    from wagtail.models import Page, ReferenceIndex

    user = request.user
    if user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return True
    references = ReferenceIndex.get_references_to(document)
    page_type = ReferenceIndex._get_base_content_type(Page)
    if references.exclude(base_content_type=page_type).exists():
        return True
    page_ids = references.filter(base_content_type=page_type).values_list("object_id", flat=True)
    pages = Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids])
    if not pages:
        return user.is_authenticated
    return any(
        all(restriction.accept_request(request) for restriction in page.get_view_restrictions())
        for page in pages
    )
