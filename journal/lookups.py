"""The journal's things as a reader may open them, shared by the pages and the partner API: a
target's journal (a site's or an action's), an entry, an attachment — or a 404 when it does not
exist or the reader may not read it (its existence is never revealed). The rules are
`journal.perms`."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from actions.models import Action
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


def action_or_404(user, action_id) -> Action:
    """An action whose journal `user` may open (its readers)."""
    action = get_object_or_404(Action.objects.with_relations(), pk=action_id)
    if not perms.can_read_journal(user, action):
        raise Http404
    return action


def entry_or_404(user, pk) -> Entry:
    """An entry `user` may read, with what its page shows."""
    entry = get_object_or_404(Entry.objects.for_display(), pk=pk)
    if not perms.can_open_entry(user, entry):
        raise Http404
    return entry


def attachment_or_404(user, pk) -> Attachment:
    """An attachment of an entry `user` may read."""
    item = get_object_or_404(
        Attachment.objects.select_related(
            "entry__site__commune__department", "entry__action__department"
        ),
        pk=pk,
    )
    if not perms.can_open_entry(user, item.entry):
        raise Http404
    return item
