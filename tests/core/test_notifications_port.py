"""The notification port: apps below `activity` tell users through `core.notifications`."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from activity import preferences, services
from core import notifications
from tests.directory.factories import UserFactory


def test_the_activity_app_registers_its_delivery_at_start_up():
    assert notifications._delivery is services.DELIVERY


def test_without_a_delivery_the_port_says_which_app_is_missing(monkeypatch):
    monkeypatch.setattr(notifications, "_delivery", None)
    with pytest.raises(ImproperlyConfigured, match="'activity' app must be installed"):
        notifications.notify(kind=notifications.NotificationKind.MODERATION, recipients=[])


@pytest.mark.django_db
def test_email_recipients_leaves_out_who_turned_the_kind_off():
    kind = notifications.NotificationKind.ACCESS_REQUEST
    keeps, stops = UserFactory(), UserFactory()
    preferences.set_preference(stops, kind, False)
    recipients = notifications.email_recipients([keeps, stops], kind)
    assert recipients == [(keeps, preferences.unsubscribe_path(keeps, kind))]
