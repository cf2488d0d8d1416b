"""sitemap.xml lists the live public pages only, every one of which an anonymous visitor can
open; robots.txt points to it and keeps crawlers out of the logged-in areas."""

import re
from urllib.parse import urlsplit

import pytest
from wagtail.models import Page, PageViewRestriction

from cms import demo
from cms.models import PUBLIC_PAGE_MODELS, ContentPage
from sitepages.models import SiteIndexPage, SitePage
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

LOC = re.compile(r"<loc>([^<]+)</loc>")


@pytest.fixture
def pages():
    pages = demo.load_demo()
    for index in range(2):
        SitePageFactory(slug=f"site-{index}", title=f"Site {index}")
    home = pages["legal_notice"].get_parent()
    draft = ContentPage(title="Brouillon", slug="brouillon", body="<p>x</p>", live=False)
    home.add_child(instance=draft)
    secret = ContentPage(title="Secret", slug="secret", body="<p>x</p>")
    home.add_child(instance=secret)
    secret.save_revision().publish()
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="mot-de-passe"
    )
    below = ContentPage(title="Sous le secret", slug="sous-le-secret", body="<p>x</p>")
    secret.add_child(instance=below)
    below.save_revision().publish()
    return {**pages, "draft": draft, "secret": secret, "below_secret": below}


def listed_paths(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [urlsplit(url).path for url in LOC.findall(response.content.decode())]


def test_every_listed_url_opens_for_an_anonymous_visitor(client, pages):
    paths = listed_paths(client)
    assert paths and len(paths) == len(set(paths))
    for path in paths:
        assert client.get(path).status_code == 200, path
    for key in ("statistics", "faq", "charter", "contact", "report", "guides", "legal_notice"):
        assert pages[key].url in paths, key
    assert "/" in paths
    assert pages["declarer-une-action"].url in paths  # a public guide


def test_only_public_pages_are_listed(client, pages):
    paths = set(listed_paths(client))
    never = [
        pages["guide-administrateurs-locaux"],  # reserved to logged-in users
        pages["draft"],
        pages["secret"],  # password-protected
        pages["below_secret"],  # restricted through its parent
        *SitePage.objects.all(),
        *SiteIndexPage.objects.all(),
    ]
    assert never
    for page in never:
        assert page.url not in paths, page.title
    # What is listed is exactly the live, unrestricted pages of the public page types.
    public = Page.objects.live().public().type(*PUBLIC_PAGE_MODELS)
    assert paths == {page.url for page in public}


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ("/admin/", "/sites/", "/journal/", "/recherche/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
