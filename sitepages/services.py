"""Operations on sites that touch revisions and the page tree (keyword-only arguments).

Every change made on the front end is a Wagtail revision, published at once: the admin and the
front end share one history, and Wagtail's `page_published` signal (which the activity app
listens to) fires for every saved change.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import log

from sitepages import history
from sitepages.enums import OwnerType
from sitepages.models import SiteIndexPage, SitePage, home_page

logger = logging.getLogger(__name__)


def index_for(department) -> SiteIndexPage:
    """The department's index page, created (and published) under the home page if missing."""
    index = SiteIndexPage.objects.filter(department=department).first()
    if index is not None:
        return index
    home = home_page()
    index = SiteIndexPage(
        title=f"Sites — {department.name}",
        slug=f"sites-{slugify(department.code)}",
        department=department,
        live=False,
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def editable_state(site: SitePage) -> SitePage:
    """The state to edit: the latest revision (the live row when nothing is pending)."""
    return site.get_latest_revision_as_object()


def ensure_baseline(site: SitePage) -> None:
    """Give a site created outside the forms (imports, scripts) a first revision holding its
    current state, so that the next change shows as a difference, not as a creation."""
    if site.latest_revision_id is None and not site.revisions.exists():
        stored = SitePage.objects.get(pk=site.pk)
        stored.save_revision(clean=False, changed=False)
        site.latest_revision_id = stored.latest_revision_id


def _refresh_title(site: SitePage, previous_default: str | None) -> None:
    """Keep the title following name and place unless someone gave it a title of their own."""
    if not site.title or site.title == previous_default:
        site.title = site.default_title()
    site.draft_title = site.title


def _publish(site: SitePage, user):
    revision = site.save_revision(user=user, log_action=True, clean=False)
    # Permissions were checked by the caller with directory.perms (Wagtail's page permissions
    # are not used for sites).
    revision.publish(user=user, skip_permission_checks=True)
    return revision


@transaction.atomic
def create_site(*, site: SitePage, user):
    """Place a new site under its department's index page and publish its first revision."""
    index = index_for(site.commune.department)
    _refresh_title(site, None)
    site.live = False
    site.slug = ""
    index.add_child(instance=site)
    return _publish(site, user)


@transaction.atomic
def save_site(*, site: SitePage, user, previous_default_title: str | None = None):
    """Publish the edited `site` (built from `editable_state`) as a new revision."""
    ensure_baseline(site)
    _refresh_title(site, previous_default_title)
    return _publish(site, user)


@transaction.atomic
def record_visit(*, site: SitePage, user, visited_at=None):
    """ "Visited, nothing changed": only the visit date moves, through a revision."""
    ensure_baseline(site)
    state = editable_state(site)
    state.last_visited_at = visited_at or timezone.localdate()
    return _publish(state, user)


# --- Concurrent edits ---------------------------------------------------------------------------


@dataclass
class Conflict:
    """Changes saved by others since the revision a form was based on."""

    changes: list  # history.FieldChange
    revisions: list  # the newer revisions, oldest first
    latest_revision_id: int


def conflict_since(*, site: SitePage, base_revision_id, fields, reader) -> Conflict | None:
    """What changed in `fields` since revision `base_revision_id`; None when nothing did.

    `fields` are the fields of the form being saved: changes to other fields (those the user
    cannot see, or another form's) are kept by the save and are no conflict. The changes are
    described as `reader` may read them.
    """
    latest_id = site.latest_revision_id
    if latest_id is None or base_revision_id == latest_id:
        return None
    revisions = history.revisions_of(site)
    base = revisions.filter(pk=base_revision_id).first() if base_revision_id else None
    if base is None:
        # The form showed a site without revision: its first revision (the baseline saved by
        # `ensure_baseline`) is the state the form was based on.
        base = revisions.last()
    newer = list(revisions.filter(created_at__gte=base.created_at).exclude(pk=base.pk).reverse())
    if not newer:
        return None
    changes = history.diff(base.content, newer[-1].content, fields, reader=reader)
    if not changes:
        return None
    return Conflict(changes=changes, revisions=newer, latest_revision_id=newer[-1].pk)


# --- Anonymisation of private owners ------------------------------------------------------------

ANONYMISATION_DELAY_DAYS = 365


def _scrub_private_names(rows) -> bool:
    changed = False
    for row in rows or []:
        if row.get("type") == OwnerType.PRIVATE and row.get("name"):
            row["name"] = ""
            changed = True
    return changed


@transaction.atomic
def anonymise_private_owners(*, today=None) -> list[int]:
    """Empty the names of the private owners of sites closed for over a year, in the live site
    (through a new published revision, without author) and in every past revision, so that the
    history does not keep them either. Idempotent: returns the ids of the sites changed."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=ANONYMISATION_DELAY_DAYS)
    changed = []
    sites = SitePage.objects.filter(closed_at__lt=limit).order_by("pk")
    for site in sites:
        state = editable_state(site)
        owners = list(state.owners.all())
        named = [owner for owner in owners if owner.type == OwnerType.PRIVATE and owner.name]
        scrubbed_revisions = 0
        for revision in site.revisions.all():
            if _scrub_private_names(revision.content.get("owners")):
                revision.save(update_fields=["content"])
                scrubbed_revisions += 1
        if not named and not scrubbed_revisions:
            continue
        if named:
            for owner in named:
                owner.name = ""
            state.owners = owners
            revision = state.save_revision(clean=False, log_action=False)
            revision.publish(skip_permission_checks=True, log_action=False)
        log(site, "sitepages.owners_anonymised", data={"owners": len(named)})
        logger.info("Private owners of site %s anonymised (%s).", site.pk, len(named))
        changed.append(site.pk)
    return changed
