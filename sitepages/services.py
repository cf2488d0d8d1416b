"""Operations on sites that touch revisions and the page tree (keyword-only arguments).

Every change made on the front end is a Wagtail revision, published at once: the admin and the
front end share one history, and Wagtail's `page_published` signal (which the activity app
listens to) fires for every saved change.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import log

from sitepages import history
from sitepages.enums import OwnerType
from sitepages.models import SiteIndexPage, SitePage, home_page

logger = logging.getLogger(__name__)


def index_for(department) -> SiteIndexPage:
    """The department's index page, created (and published) under the home page if missing.

    Inside a transaction, the index is returned locked (`SELECT … FOR UPDATE`), read again
    under the lock: two sites declared at once in one department are added one after the other
    (the page tree gives each child a path computed from its parent's children, which two
    writers at once would compute alike), and two first sites of a department create one
    index (the home page is locked while it is created)."""
    locking = transaction.get_connection().in_atomic_block
    index = SiteIndexPage.objects.filter(department=department).first()
    if index is None:
        home = home_page()
        if locking:
            home = type(home).objects.select_for_update().get(pk=home.pk)
            index = SiteIndexPage.objects.filter(department=department).first()
        if index is None:
            index = SiteIndexPage(
                title=f"Sites — {department.name}",
                slug=f"sites-{slugify(department.code)}",
                department=department,
                live=False,
            )
            home.add_child(instance=index)
            index.save_revision().publish()
    if locking:
        index = SiteIndexPage.objects.select_for_update().get(pk=index.pk)
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


def lock_site(site) -> SitePage:
    """Lock the site's page row until the end of the current transaction and return it as
    stored now. Every write to a site takes this lock first: two writers of one site run one
    after the other, and the second one reads what the first one saved."""
    pk = getattr(site, "pk", site)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_site() must run inside transaction.atomic().")
    try:
        return SitePage.objects.select_for_update().get(pk=pk)
    except SitePage.DoesNotExist:
        # Deleted by someone else since the caller read it: the page is gone, as for a reader.
        raise Http404("This site no longer exists.") from None


@dataclass
class SiteChange:
    """The outcome of `change_site`: the state built (from the latest revision), the conflict
    that refused the save, or the revision published."""

    state: SitePage
    conflict: "Conflict | None" = None
    revision: object = None

    @property
    def saved(self) -> bool:
        return self.revision is not None


def change_site(
    *, site, user, change, base_revision_id=None, fields=None, reader=None, allowed=None
) -> SiteChange:
    """Apply `change` to the latest state of `site` and publish it, all in one transaction that
    holds the site's lock (`lock_site`).

    In order: lock the site; check `allowed(site)` again on the site as stored now (the caller
    checked its rights on the site it read before the lock: a closing saved meanwhile may have
    made it read-only; PermissionDenied when not); read its latest revision; check for changes
    made since `base_revision_id` in `fields` (a list, or a callable receiving the state; None:
    no check, the change applies to the latest state whatever it is); call `change(state)`,
    which edits the state in place and returns False when the input is invalid; publish. A
    conflict or invalid input saves nothing and returns the state for the form to
    be shown again.
    """
    with transaction.atomic():
        locked = lock_site(site)
        if allowed is not None and not allowed(locked):
            raise PermissionDenied
        ensure_baseline(locked)
        state = editable_state(locked)
        previous_default = state.default_title()
        if fields is not None:
            names = fields(state) if callable(fields) else fields
            conflict = conflict_since(
                site=locked, base_revision_id=base_revision_id, fields=names, reader=reader
            )
            if conflict is not None:
                return SiteChange(state=state, conflict=conflict)
        if change(state) is False:
            return SiteChange(state=state)
        if _anonymisation_due(state):
            # Past the anonymisation's delay, no save brings a private owner's name back (a
            # form shown before the weekly job still holds it; the job also emptied the
            # revisions a conflict check compares, so it sees no change).
            _scrub_state_owners(state)
        _refresh_title(state, previous_default)
        return SiteChange(state=state, revision=_publish(state, user))


@transaction.atomic
def save_site(*, site: SitePage, user, previous_default_title: str | None = None):
    """Publish the edited `site` (built from `editable_state`) as a new revision, as it is.

    For scripts and tests that build the state themselves: the forms go through `change_site`,
    which builds the state under the site's lock (a state built before the lock may miss a
    change saved meanwhile, which this save would then erase)."""
    lock_site(site)
    ensure_baseline(site)
    _refresh_title(site, previous_default_title)
    return _publish(site, user)


def record_visit(*, site: SitePage, user, visited_at=None, allowed=None):
    """ "Visited, nothing changed": only the visit date moves, through a revision built from the
    latest state under the site's lock (a change saved meanwhile is kept)."""

    def visit(state):
        state.last_visited_at = visited_at or timezone.localdate()

    return change_site(site=site, user=user, change=visit, allowed=allowed).revision


# --- Decrees ------------------------------------------------------------------------------------


def _log_decree(site, user, action, attachment):
    log(site, action, user=user, data={"title": attachment.title, "file": attachment.original_name})


@transaction.atomic
def add_decree(*, site: SitePage, user, title: str, upload, allowed=None):
    """Store a decree of `site` (under the site's lock) and write it to the audit log.

    `allowed(site)` is checked again on the site as stored under the lock (a closing saved since
    the caller's check may have made it read-only: PermissionDenied). Nothing is written to the
    storage before the lock: a site deleted meanwhile is a 404 and leaves no file behind."""
    from sitepages.models import DecreeAttachment

    locked = lock_site(site)
    if allowed is not None and not allowed(locked):
        raise PermissionDenied
    attachment = DecreeAttachment(
        site=site,
        title=title,
        original_name=upload.name[:255],
        kind=upload.detected_kind,
        size=upload.size,
        uploaded_by=user,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    _log_decree(site, user, "sitepages.decree_added", attachment)
    return attachment


@transaction.atomic
def delete_decree(*, site: SitePage, user, attachment_id) -> bool:
    """Delete a decree of `site` under the site's lock; False when it was already deleted (by
    someone else meanwhile): nothing is logged twice. The file goes once the deletion is
    committed (`core.storage.delete_private_files`)."""
    from sitepages.models import DecreeAttachment

    lock_site(site)
    attachment = DecreeAttachment.objects.filter(pk=attachment_id, site=site).first()
    if attachment is None:
        return False
    _log_decree(site, user, "sitepages.decree_deleted", attachment)
    attachment.delete()  # its file goes once this is committed (core.storage)
    return True


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


def _anonymisation_due(site, today=None) -> bool:
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=ANONYMISATION_DELAY_DAYS)
    return site.closed_at is not None and site.closed_at < limit


def _scrub_state_owners(state) -> int:
    """Empty the names of the private owners of `state` (an editable state); how many."""
    owners = list(state.owners.all())
    named = [owner for owner in owners if owner.type == OwnerType.PRIVATE and owner.name]
    for owner in named:
        owner.name = ""
    if named:
        state.owners = owners
    return len(named)


def anonymise_private_owners(*, today=None) -> list[int]:
    """Empty the names of the private owners of sites closed for over a year, in the live site
    (through a new published revision, without author) and in every past revision, so that the
    history does not keep them either. Idempotent: returns the ids of the sites changed. Each
    site is handled in its own transaction under its lock (an edit saved meanwhile is kept)."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=ANONYMISATION_DELAY_DAYS)
    changed = []
    for pk in (
        SitePage.objects.filter(closed_at__lt=limit).order_by("pk").values_list("pk", flat=True)
    ):
        if _anonymise_site(pk):
            changed.append(pk)
    return changed


@transaction.atomic
def _anonymise_site(pk) -> bool:
    site = lock_site(pk)
    state = editable_state(site)
    named = _scrub_state_owners(state)
    scrubbed_revisions = 0
    for revision in site.revisions.all():
        if _scrub_private_names(revision.content.get("owners")):
            revision.save(update_fields=["content"])
            scrubbed_revisions += 1
    if not named and not scrubbed_revisions:
        return False
    if named:
        revision = state.save_revision(clean=False, log_action=False)
        revision.publish(skip_permission_checks=True, log_action=False)
    log(site, "sitepages.owners_anonymised", data={"owners": named})
    logger.info("Private owners of site %s anonymised (%s).", site.pk, named)
    return True
