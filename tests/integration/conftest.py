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
            # As in production, the planner knows the tables' sizes (autovacuum cannot analyse
            # rows this transaction has not committed; without statistics some pages pick
            # plans that take minutes on the 35,000 communes).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            cache.clear()
            yield out.getvalue()
            transaction.set_rollback(True)
        cache.clear()
