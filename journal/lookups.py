"""The journal's things as a reader may open them, shared by the pages and the partner API: a
site's journal, an entry, an attachment — or a 404 when it does not exist or the reader may not
read it (its existence is never revealed). The rules are `journal.perms`."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from journal import perms
from journal.models import Attachment, Entry
from sitepages.models import SitePage


def site_or_404(user, site_id) -> SitePage:
    """A live site whose journal `user` may open."""
    site = get_object_or_404(
        SitePage.objects.live().select_related("commune__department"), pk=site_id
    )
    if not perms.can_read_journal(user, site):
        raise Http404
    return site


def entry_or_404(user, pk) -> Entry:
    """An entry `user` may read, with what its page shows."""
    entry = get_object_or_404(
        Entry.objects.for_display().select_related("site__commune__department"), pk=pk
    )
    if not perms.can_open_entry(user, entry):
        raise Http404
    return entry


def attachment_or_404(user, pk) -> Attachment:
    """An attachment of an entry `user` may read."""
    item = get_object_or_404(Attachment.objects.select_related("entry__site__commune"), pk=pk)
    if not perms.can_open_entry(user, item.entry):
        raise Http404
    return item
