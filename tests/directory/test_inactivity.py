from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from directory.enums import UserStatus
from directory.services.inactivity import process_inactive_accounts
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def run_tasks():
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def test_idle_accounts_are_warned_once_then_deactivated_a_month_later():
    idle = UserFactory(last_access=days_ago(200), date_joined=days_ago(400))
    recent = UserFactory(last_access=days_ago(10), date_joined=days_ago(400))
    never_seen_new = UserFactory(last_access=None, date_joined=days_ago(20))
    never_seen_old = UserFactory(last_access=None, date_joined=days_ago(300))
    superuser = UserFactory(is_superuser=True, last_access=days_ago(500))

    report = process_inactive_accounts()
    assert (report.warned, report.deactivated) == (2, 0)
    idle.refresh_from_db()
    assert idle.inactivity_warned_at is not None
    for user in (recent, never_seen_new, superuser):
        user.refresh_from_db()
        assert user.inactivity_warned_at is None

    # Running again the same day warns nobody twice.
    assert process_inactive_accounts().warned == 0

    # 31 days later, still idle: deactivated.
    report = process_inactive_accounts(now=timezone.now() + timedelta(days=31))
    assert report.deactivated == 2
    idle.refresh_from_db()
    never_seen_old.refresh_from_db()
    assert idle.status == UserStatus.INACTIVE and not idle.is_active
    assert ModelLogEntry.objects.filter(action="directory.user.deactivate").count() == 2


def test_coming_back_after_the_warning_cancels_the_deactivation(client):
    user = UserFactory(last_access=days_ago(200), date_joined=days_ago(400))
    process_inactive_accounts()
    client.force_login(user)
    client.get("/mon-compte/")  # the LastAccessMiddleware records the visit
    user.refresh_from_db()
    assert user.inactivity_warned_at is None
    report = process_inactive_accounts(now=timezone.now() + timedelta(days=31))
    assert report.deactivated == 0
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_warning_and_deactivation_emails_are_sent_by_the_worker():
    user = UserFactory(
        email="dormant@exemple.test", last_access=days_ago(200), date_joined=days_ago(400)
    )
    process_inactive_accounts()
    run_tasks()
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "http://" in mail.outbox[0].body and "/connexion/" in mail.outbox[0].body
    process_inactive_accounts(now=timezone.now() + timedelta(days=31))
    run_tasks()
    assert len(mail.outbox) == 2


def test_dry_run_changes_nothing():
    user = UserFactory(last_access=days_ago(200), date_joined=days_ago(400))
    report = process_inactive_accounts(dry_run=True)
    assert report.warned == 1
    user.refresh_from_db()
    assert user.inactivity_warned_at is None
