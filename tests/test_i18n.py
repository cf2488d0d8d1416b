"""The French catalogue is complete and compiled; pages speak French."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po"))


def test_a_french_catalogue_exists():
    assert Path(settings.BASE_DIR, "locale/fr/LC_MESSAGES/django.po") in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=str)
def test_every_message_is_translated(path):
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("login", "Connectez-vous avec l’adresse électronique de votre compte."),
        ("password_reset", "Envoyer le lien"),
    ],
)
def test_pages_are_rendered_in_french(client, url_name, expected):
    html = client.get(reverse(url_name)).content.decode()
    assert expected in html
    assert "Agir ensemble pour résorber les bidonvilles" in html
