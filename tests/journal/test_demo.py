import io

import pytest
from django.core.management import call_command

from directory.models import User
from journal import demo, perms
from journal.enums import Audience
from journal.models import Attachment, Entry, Report

pytestmark = pytest.mark.django_db


def test_demo_entries_are_idempotent_and_readable_by_their_audience(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    created = demo.load_demo(stdout=out)
    total = len(demo.DEMO_ENTRIES) + len(demo.DEMO_ACTION_ENTRIES)
    assert created in (0, total)  # 0 when the lead wired it into load_demo
    assert Entry.objects.count() == total
    assert demo.load_demo() == 0
    assert Entry.objects.count() == total
    assert Entry.objects.filter(action__isnull=False).count() == len(demo.DEMO_ACTION_ENTRIES)
    assert Attachment.objects.count() == 1 and Report.objects.count() == 1
    assert set(Entry.objects.values_list("audience", flat=True)) == set(Audience.values)

    for entry in Entry.objects.all():
        assert perms.can_read_entry(entry.author, entry)
        assert perms.can_post(entry.author, entry.target), entry.author  # they may edit it
    state_entry = Entry.objects.get(audience=Audience.STATE_SERVICES, site__isnull=False)
    local_admin = User.objects.get(email="local.admin@demo.test")  # Préfecture du Rhône
    observer = User.objects.get(email="observateur.externe@demo.test")
    assert perms.can_read_entry(local_admin, state_entry)
    assert not perms.can_read_entry(observer, state_entry)
    chosen = Entry.objects.get(audience=Audience.CHOSEN, site__isnull=False)
    # Chosen: the DDETS du Nord (its correspondent reads it), not the author's colleagues.
    assert perms.can_read_entry(User.objects.get(email="correspondant@demo.test"), chosen)
    assert not perms.can_read_entry(User.objects.get(email="amina-diallo@demo.test"), chosen)
