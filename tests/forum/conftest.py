from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from machina.core.db.models import get_model

from activity import services


@pytest.fixture(autouse=True)
def clear_caches():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def forums():
    call_command("load_forum_demo", stdout=StringIO())
    return {forum.name: forum for forum in get_model("forum", "Forum").objects.all()}


@pytest.fixture
def forum(forums):
    return forums["Santé"]


@pytest.fixture
def notify_calls(monkeypatch):
    """Record the arguments of every `activity.services.notify` call (and still run it)."""
    calls = []
    real_notify = services.notify

    def recording_notify(**kwargs):
        calls.append(kwargs)
        return real_notify(**kwargs)

    monkeypatch.setattr("forum.notifications.notify", recording_notify)
    return calls
