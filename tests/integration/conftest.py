"""Fixtures of the integration tests: the real demo data, loaded once per module.

The demo is loaded inside a transaction that is rolled back when the module ends, so the test
modules that expect an empty database are not affected. Each test runs (through pytest-django's
`db` fixture) in a savepoint nested inside it, so what a crawl changes (notifications marked as
read…) does not leak into the next test either.
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("media")
    private_root = tmp_path_factory.mktemp("private-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, PRIVATE_MEDIA_ROOT=private_root),
    ):
        with transaction.atomic():
            out = io.StringIO()
            call_command("load_demo", force=True, stdout=out)
            make_sensitive_values_unique()
            call_command("rebuild_search_index", stdout=out)
            # As in production, the planner knows the tables' sizes (autovacuum cannot analyse
            # rows this transaction has not committed; without statistics some pages pick
            # plans that take minutes on the 35,000 communes).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            cache.clear()
            yield out.getvalue()
            transaction.set_rollback(True)
        cache.clear()


def make_sensitive_values_unique():
    """Give every owner name, justice detail and journal message of the demo its own text.

    The demo shares some of them between sites (one court, one bailiff for every site with a
    procedure). A string held by a site a user may read and by one they may not cannot tell a
    leak from a legitimate display, so the crawl (test_crawl.py) refuses such strings: here each
    copy gets the number of its row.
    """
    from journal.models import Entry
    from sitepages.models import SiteOwner, SitePage

    for owner in SiteOwner.objects.exclude(name=""):
        SiteOwner.objects.filter(pk=owner.pk).update(name=f"{owner.name} n° {owner.pk}")
    for site in SitePage.objects.all():
        SitePage.objects.filter(pk=site.pk).update(
            justice_court=f"{site.justice_court} n° {site.pk}" if site.justice_court else "",
            bailiff=f"{site.bailiff} n° {site.pk}" if site.bailiff else "",
        )
    for entry in Entry.objects.all():
        Entry.objects.filter(pk=entry.pk).update(text=f"Message {entry.pk} : {entry.text}")
