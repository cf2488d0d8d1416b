"""The editorial pages: demo content, guides and their privacy, FAQ, charter, main menu, blocks."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from cms import demo
from cms.blocks import FAQ_BLOCKS, HOME_BLOCKS
from cms.models import (
    PUBLIC_PAGE_MODELS,
    CharterPage,
    FaqPage,
    GuidePage,
    HomePage,
    MainMenu,
)
from directory.models import CharterVersion
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    return demo.load_demo()


def test_the_demo_content_is_idempotent(pages):
    count = Page.objects.count()
    again = demo.load_demo()
    assert Page.objects.count() == count
    assert {key: page.pk for key, page in again.items()} == {
        key: page.pk for key, page in pages.items()
    }
    assert MainMenu.objects.get().items.count() == 4


def test_every_public_page_renders_for_anonymous_visitors(client, pages):
    for key, page in pages.items():
        if key == "guide-administrateurs-locaux":
            continue
        response = client.get(page.url)
        assert response.status_code == 200, key
        assert type(page.specific) in PUBLIC_PAGE_MODELS
    home = client.get("/").content.decode()
    for key in ("statistics", "guides", "faq", "contact", "report", "charter"):
        assert f'href="{pages[key].url}"' in home, key
    assert 'href="/demande-acces/"' in home


def test_the_faq_holds_the_seeds_myths_as_accordions(client, pages):
    html = client.get(pages["faq"].url).content.decode()
    for question, _short, _answer in demo.FAQ_MYTHS:
        assert question.replace("’", "&#x27;") in html or question in html
    assert html.count('class="fr-accordion__btn"') == len(demo.FAQ_MYTHS) + len(demo.FAQ_PLATFORM)
    assert isinstance(pages["faq"].specific, FaqPage)


def test_a_reserved_guide_needs_a_login(client, pages):
    guide = pages["guide-administrateurs-locaux"]
    assert PageViewRestriction.objects.filter(page=guide).exists()
    response = client.get(guide.url)
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")
    index = client.get(pages["guides"].url)
    assert guide.title not in index.content.decode()
    assert index.context["has_reserved_guides"] is True

    client.force_login(UserFactory())
    assert client.get(guide.url).status_code == 200
    assert guide.title in client.get(pages["guides"].url).content.decode()


def test_guides_render_their_blocks(client, pages):
    html = client.get(pages["declarer-une-action"].url).content.decode()
    assert 'class="fr-accordions-group' in html
    assert 'class="fr-transcription' in html
    assert 'rel="noopener"' in html and "<iframe" not in html
    assert isinstance(pages["declarer-une-action"].specific, GuidePage)


def test_the_charter_page_shows_the_charter_in_force(client, pages):
    CharterVersion.objects.create(version=99, title="Charte révisée", body="<p>Texte v99</p>")
    html = client.get(pages["charter"].url).content.decode()
    assert "Charte révisée" in html and "Texte v99" in html
    assert isinstance(pages["charter"].specific, CharterPage)
    assert pages["charter"].specific.charter_text == "<p>Texte v99</p>"


def test_the_main_menu_include_renders_nav_items(pages):
    request = RequestFactory().get(pages["faq"].url)
    from wagtail.contrib.settings.context_processors import settings as settings_processor

    html = Template('{% include "cms/includes/main_menu.html" %}').render(
        Context({"request": request, **settings_processor(request)})
    )
    assert html.count('<li class="fr-nav__item">') == 4
    assert f'href="{pages["statistics"].url}"' in html
    assert 'aria-current="page"' in html  # the FAQ is the current page


@pytest.mark.parametrize("name", [name for name, _block in HOME_BLOCKS + FAQ_BLOCKS])
def test_every_block_renders_its_preview_value(name):
    block = dict(HOME_BLOCKS + FAQ_BLOCKS)[name]
    value = block.to_python(block.get_prep_value(block.normalize(block.meta.preview_value)))
    html = block.render(value)
    assert isinstance(html, str)
    assert block.meta.icon and block.meta.template


def test_the_home_page_offers_the_public_side(client, pages):
    response = client.get("/")
    html = response.content.decode()
    assert isinstance(response.context["page"], HomePage)
    assert "platform-key-figure" in html
    assert 'class="fr-tile' in html
