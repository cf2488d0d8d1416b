import io
import re

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from cms.models import HomePage
from core import views

pytestmark = pytest.mark.django_db

ASSET_URL = re.compile(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"')


def test_home_page_is_the_site_root_and_speaks_french(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert isinstance(response.context["page"], HomePage)
    assert '<html lang="fr"' in html
    assert "Résorption-bidonvilles" in html
    assert "connaître les sites et les conditions de vie" in html
    assert f'href="{reverse("login")}"' in html
    assert "Accueil" in html and "Se connecter" in html


def test_pages_load_assets_from_the_platform_only(client):
    html = client.get("/").content.decode()
    assets = ASSET_URL.findall(html)
    assert any("dsfr" in url and url.endswith(".css") for url in assets)
    assert any(url.endswith(".module.min.js") for url in assets)
    assert all(url.startswith("/static/") for url in assets), assets


def test_page_layout_has_skip_links_header_navigation_and_footer(client):
    html = client.get(reverse("login")).content.decode()
    assert 'class="fr-skiplinks"' in html
    assert 'href="#content"' in html and 'id="content"' in html
    assert 'id="navigation-principale"' in html
    assert 'id="footer"' in html
    assert 'aria-controls="fr-theme-modal"' in html  # theme switch
    assert 'id="fr-theme-modal"' in html


def test_unknown_url_gets_the_french_404_page(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html
    assert 'class="fr-header"' in html


def test_500_page_renders_without_database_or_context_processors():
    request = RequestFactory().get("/")
    response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur inattendue" in html
    assert "Résorption-bidonvilles" in html


def test_health_endpoint_checks_the_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_footer_links_to_legal_pages_once_configured(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    html = client.get("/").content.decode()
    assert "Mentions légales" in html
    assert "Accessibilité : non conforme" in html
    assert "Données personnelles" in html
    legal = client.get("/mentions-legales/")
    assert legal.status_code == 200
    assert "Éditeur" in legal.content.decode()
