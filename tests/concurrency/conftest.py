"""Fixtures shared by the race tests (each file keeps the world its race needs)."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.forum.utils import Forum


@pytest.fixture
def forum():
    """The demo forum's « Santé » theme (loaded by the forum's demo command)."""
    call_command("load_forum_demo", stdout=StringIO())
    return Forum.objects.get(name="Santé")
