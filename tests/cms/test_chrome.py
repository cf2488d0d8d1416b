"""The main menu and footer links (cms/chrome.py): read once per worker, fresh after an edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms import demo
from cms.models import FooterLinks, MainMenu
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    return demo.load_demo()


@pytest.fixture
def member_client(client):
    client.force_login(UserFactory())
    return client


def test_every_page_shows_the_menu_and_the_legal_links(member_client, pages):
    html = member_client.get("/notifications/").content.decode()
    for label, key in [("Statistiques", "statistics"), ("Guides", "guides")]:
        assert f'href="{pages[key].url}"' in html and label in html
    links = FooterLinks.for_site(Site.objects.get(is_default_site=True))
    assert f'href="{links.legal_notice.url}"' in html
    assert f'href="{links.privacy.url}"' in html


def test_once_cached_the_links_cost_no_query(member_client, pages):
    member_client.get("/notifications/")
    with CaptureQueriesContext(connection) as queries:
        member_client.get("/notifications/")
    tables = " ".join(query["sql"] for query in queries)
    assert "cms_mainmenu" not in tables and "cms_footerlinks" not in tables
    assert '"wagtailcore_page"' not in tables, tables


def test_an_edited_menu_shows_at_once(member_client, pages, django_capture_on_commit_callbacks):
    member_client.get("/notifications/")
    item = MainMenu.for_site(Site.objects.get(is_default_site=True)).items.first()
    item.label = "Chiffres clés"
    with django_capture_on_commit_callbacks(execute=True):  # the edit commits
        item.save()
    assert "Chiffres clés" in member_client.get("/notifications/").content.decode()


def test_a_moved_page_changes_its_link(member_client, pages, django_capture_on_commit_callbacks):
    member_client.get("/notifications/")
    guides = pages["guides"].specific
    guides.slug = "ressources"
    with django_capture_on_commit_callbacks(execute=True):  # the publication commits
        guides.save_revision().publish()
    html = member_client.get("/notifications/").content.decode()
    assert 'href="/ressources/"' in html


def test_reading_the_links_writes_nothing(member_client):
    """Without any menu or footer row yet (a new site), a page neither creates them nor makes
    the cache stale: the second request reuses what the first one read."""
    from core import pagecache

    member_client.get("/notifications/")
    version = pagecache.current_version()
    assert not MainMenu.objects.exists() and not FooterLinks.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        member_client.get("/notifications/")
    assert pagecache.current_version() == version
    assert not any("cms_mainmenu" in query["sql"] for query in queries)


def test_the_daily_writes_leave_the_links_cached(
    member_client, pages, django_capture_on_commit_callbacks
):
    """Sites, journals and actions are written all day: they do not make the links stale."""
    from tests.sitepages.factories import SitePageFactory

    member_client.get("/notifications/")
    with django_capture_on_commit_callbacks(execute=True):  # the site's write commits
        SitePageFactory()
    with CaptureQueriesContext(connection) as queries:
        member_client.get("/notifications/")
    assert not any("cms_mainmenu" in query["sql"] for query in queries)
