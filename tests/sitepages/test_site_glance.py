"""The site page at a glance (issue 21, part 4): a summary header (status, people, minors, the
latest change and by whom, completion with what is missing, heatwave), the six living
conditions as status badges with their details folded, a small map, a side menu to the
sections, labelled buttons, and the journal and actors before the long list of fields."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from directory.enums import Role
from sitepages.enums import WaterAccessType
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import page_payload, site_in, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    here = DepartmentFactory()
    editor = user_with(Role.LOCAL_ADMIN, here, first_name="Inès", last_name="Durand")
    return here, editor


def glance(html: str) -> str:
    start = html.index('id="site-glance"')
    return html[start : html.index('class="fr-sidemenu', start)]


def test_the_header_sums_the_site_up(client, place):
    here, editor = place
    site = site_in(here, people=42, minors=15, heatwave=True, latitude=None, longitude=None)
    client.force_login(editor)
    url = reverse("site_edit", args=[site.pk])
    assert client.post(url, page_payload(client.get(url), people="43")).status_code == 302
    header = glance(client.get(site.url).content.decode())
    assert re.search(r"<dt>Personnes</dt>\s*<dd>43</dd>", header)
    assert re.search(r"<dt>Mineurs</dt>\s*<dd>15</dd>", header)
    assert "par Inès Durand" in header
    assert 'id="site-heatwave"' in header and 'id="site-status"' in header
    completion = header[header.index('id="site-completion"') :]
    assert "éléments connus sur 10" in completion and "<details>" in completion
    # labelled buttons, not icons alone
    assert "Mettre à jour le site" in header and "Historique" in header
    assert "Visité, rien n’a changé" in header and "Suivre ce site" in header
    assert "Fiche imprimable" in header and "Exporter le site (DOCX)" in header
    assert 'id="site-not-located"' in header and 'id="site-glance-map"' not in header


def test_a_placed_site_has_its_small_map(client, place, settings):
    settings.SITES_MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.SITES_MAP_TILE_ATTRIBUTION = '&copy; <a href="https://osm.example">OpenStreetMap</a>'
    here, editor = place
    site = site_in(here, latitude=Decimal("45.75"), longitude=Decimal("4.85"))
    client.force_login(editor)
    html = client.get(site.url).content.decode()
    assert 'id="site-glance-map"' in html and 'data-latitude="45.750000"' in html
    assert "js/site-glance-map.js" in html and "vendor/leaflet/leaflet.js" in html
    assert "Carte : le site à la latitude 45" in html
    assert "· © OpenStreetMap" in html and "&amp;copy;" not in html  # the attribution as text


def test_living_conditions_are_badges_with_folded_details(client, place):
    here, editor = place
    site = site_in(here, water_access_type=WaterAccessType.BOTTLES)
    client.force_login(editor)
    html = client.get(site.url).content.decode()
    section = html[html.index('id="living-conditions"') : html.index('id="journal"')]
    assert section.count("fr-badge fr-badge--sm") == 6
    assert section.count("<details") == 6
    assert "Eau" in section and "Mauvais" in section


def test_the_side_menu_leads_to_sections_on_the_page(client, place):
    here, editor = place
    site = site_in(here, justice_procedure=True)
    client.force_login(editor)
    html = client.get(site.url).content.decode()
    menu = html[html.index('class="fr-sidemenu') : html.index("</nav>", html.index("fr-sidemenu"))]
    anchors = re.findall(r'href="#([\w-]+)"', menu)
    assert {"living-conditions", "journal", "actors", "summary", "justice"} <= set(anchors)
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor


def test_the_journal_and_actors_come_before_the_fields(client, place):
    here, editor = place
    site = site_in(here)
    client.force_login(editor)
    html = client.get(site.url).content.decode()
    assert html.index('id="journal"') < html.index('id="summary"')
    assert html.index('id="actors"') < html.index('id="population"')


def test_a_reader_without_the_right_gets_no_owners_or_justice_link(client, place):
    here, _editor = place
    site = site_in(here, justice_procedure=True)
    client.force_login(user_with(Role.INTERVENANT, here))
    html = client.get(site.url).content.decode()
    assert 'href="#justice"' not in html and 'href="#owners"' not in html
