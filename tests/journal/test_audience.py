"""The audience table: each entry is visible exactly to whom it should be — by the Python rule,
the SQL filter, the search access keys, the site page, the stream, the attachment download and
the recipients of the new-entry notification. Assertions are on markers, never on UI text."""

import pytest
from django.http import Http404
from django.urls import reverse

from journal import access, lookups, perms
from journal.models import Entry
from journal.notifications import recipients_for_entry
from tests.journal.conftest import EXPECTED, MARKERS, READERS, fresh
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


def test_the_table_covers_every_reader():
    assert set(EXPECTED) == set(READERS)


@pytest.mark.parametrize("name", READERS)
def test_rules_agree(world, name):
    user = fresh(world.readers[name])
    expected = EXPECTED[name]
    python = {key for key, entry in world.entries.items() if perms.can_read_entry(user, entry)}
    assert python == expected
    by_pk = {entry.pk: key for key, entry in world.entries.items()}
    sql = {by_pk[pk] for pk in Entry.objects.visible_to(user).values_list("pk", flat=True)}
    assert sql == expected
    reader_keys = access.reader_access_keys(user)
    keys = {
        key
        for key, entry in world.entries.items()
        if reader_keys & set(access.entry_access_keys(entry))
    }
    assert keys == expected


@pytest.mark.parametrize("name", READERS)
def test_stream_lookups_and_audience_follow_the_rule(world, name):
    """What the pages and the API share: the stream (`in_stream`), the lookups that answer 404,
    and who is shown an entry's audience (its author and the moderators)."""
    user = fresh(world.readers[name])
    expected = EXPECTED[name]
    by_pk = {entry.pk: key for key, entry in world.entries.items()}
    stream = Entry.objects.in_stream(world.site, user)
    assert {by_pk[entry.pk] for entry in stream} == expected
    assert not Entry.objects.in_stream(SitePageFactory(commune=world.site.commune), user)
    site_readable = perms.can_read_journal(user, world.site)
    opened = set()
    for key, entry in world.entries.items():
        try:
            found = lookups.entry_or_404(user, entry.pk)
        except Http404:
            continue
        assert found == entry and perms.can_open_entry(user, found)
        opened.add(key)
    assert opened == (expected if site_readable else set())
    attachment = world.entries["state"].attachments.get()
    try:
        lookups.attachment_or_404(user, attachment.pk)
    except Http404:
        assert "state" not in opened
    else:
        assert "state" in opened
    shown = {key for key, entry in world.entries.items() if perms.can_see_audience(user, entry)}
    sees_all = name == "author" or perms.can_moderate(user, world.site)
    assert shown == (set(world.entries) if sees_all else set())


@pytest.mark.parametrize("name", READERS)
def test_pages_show_exactly_the_readable_entries(client, world, name):
    user = world.readers[name]
    client.force_login(user)
    expected = EXPECTED[name]
    site_readable = perms.can_read_journal(fresh(user), world.site)

    stream = client.get(reverse("journal:site", args=[world.site.pk]))
    site_page = client.get(world.site.url)
    if not site_readable:
        assert stream.status_code in (302, 404)  # inactive users are logged out first
        assert site_page.status_code in (302, 404)
        assert expected == set()
        return
    assert stream.status_code == 200
    assert site_page.status_code == 200
    for html in (stream.content.decode(), site_page.content.decode()):
        shown = {key for key, marker in MARKERS.items() if marker in html}
        assert shown == expected
    # The hidden entry's reason is shown to moderators only.
    assert ("Hors charte" in stream.content.decode()) is ("hidden" in expected)

    for key, entry in world.entries.items():
        status = client.get(reverse("journal:entry", args=[entry.pk])).status_code
        assert status == (200 if key in expected else 404), key
    attachment = world.entries["state"].attachments.get()
    download = client.get(reverse("journal:attachment", args=[attachment.pk]))
    assert download.status_code == (200 if "state" in expected else 404)
    download.close()


@pytest.mark.parametrize("key", ["public", "state", "chosen"])
def test_recipients_of_a_new_entry(world, key):
    entry = world.entries[key]
    expected = {
        world.readers[name].pk
        for name, (_role, _org, _area, local) in READERS.items()
        if local and key in EXPECTED[name] and name != "author"
    }
    assert set(recipients_for_entry(entry).values_list("pk", flat=True)) == expected
    assert expected  # the table is not vacuous
