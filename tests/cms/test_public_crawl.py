"""An anonymous visitor crawls everything public — pages reached by following links from the
home page, the API, the open data — and never meets anything private: site names, addresses,
coordinates, owners, procedures, closing context, drafts, reserved guides, users, messages sent
to administrators. Every private text below carries the marker ZZMARKER."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Page

from cms import demo
from cms.enums import ContactRequestType, Recipients
from cms.models import ContactMessage, ContentPage, GuidePage, SiteReport
from directory.enums import Role
from journal.models import Entry
from sitepages.enums import OwnerType
from sitepages.models import SiteOwner
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

MARKER = "zzmarker"  # compared case-insensitively
LATITUDE, LONGITUDE = "45.987654", "4.876543"
HREF = re.compile(r'(?:href|src|action)="([^"#]*)')
SKIPPED_PREFIXES = ("/static/", "/admin/", "/deconnexion/", "/media/")
MAX_URLS = 400
#: A word of the sites' names that is not part of the marker: searching for it must not echo
#: the marker back through the query.
SITE_WORD = "Lavandières"
SEARCH_URL = f"/recherche/?q={SITE_WORD}"


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pages = demo.load_demo()
    department = DepartmentFactory(code="69", name="Rhône")
    sites = []
    for index in range(4):
        site = SitePageFactory(
            slug=f"site-{index}",
            title=f"ZZMARKER-SITE-TITLE-{index}",
            name=f"ZZMARKER-SITE-NAME-{index} {SITE_WORD}",
            address=f"{index} ZZMARKER-ADDRESS",
            access_details="ZZMARKER-ACCESS",
            latitude=LATITUDE,
            longitude=LONGITUDE,
            commune=CommuneFactory(department=department),
            people=30 + index,
            minors=10,
            justice_court="ZZMARKER-COURT",
            bailiff="ZZMARKER-BAILIFF",
            social_diagnosis_by="ZZMARKER-DIAGNOSIS",
            reinstallation_comments="ZZMARKER-REINSTALLATION",
        )
        SiteOwner.objects.create(site=site, type=OwnerType.PRIVATE, name="ZZMARKER-OWNER")
        site.save_revision()
        sites.append(site)
    closed = sites[0]
    closed.closed_at = closed.declared_at
    closed.closing_context = "ZZMARKER-CLOSING-CONTEXT"
    closed.save()
    # A draft change of a public page, never published.
    legal = pages["legal_notice"]
    legal.body = "<p>ZZMARKER-DRAFT</p>"
    legal.save_revision()
    # The reserved guide's text.
    reserved = GuidePage.objects.get(slug="guide-administrateurs-locaux")
    reserved.intro = "ZZMARKER-RESERVED-GUIDE"
    reserved.save_revision().publish()
    # A private, unpublished content page and a document no public page uses.
    private = ContentPage(
        title="ZZMARKER-UNPUBLISHED", slug="brouillon", body="<p>x</p>", live=False
    )
    pages["legal_notice"].get_parent().add_child(instance=private)
    document = Document.objects.create(
        title="ZZMARKER-DOCUMENT", file=ContentFile(b"ZZMARKER", name="prive.txt")
    )
    author = UserFactory(first_name="ZZMARKER-FIRST-NAME", last_name="ZZMARKER-LAST-NAME")
    for site in sites:
        Entry.objects.create(site=site, author=author, text="ZZMARKER-JOURNAL")
    ContactMessage.objects.create(
        request_type=ContactRequestType.HELP,
        first_name="ZZMARKER-CONTACT",
        last_name="X",
        email="zzmarker@exemple.test",
        message="ZZMARKER-CONTACT-MESSAGE",
        routed_to=Recipients.NATIONAL,
    )
    SiteReport.objects.create(
        commune=sites[1].commune,
        description="ZZMARKER-REPORT",
        address="ZZMARKER-REPORT-ADDRESS",
        routed_to=Recipients.NATIONAL,
    )
    return {"sites": sites, "document": document, "private": private, "pages": pages}


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def internal(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES):
        return None
    return path


def crawl(client, start_urls, max_urls=MAX_URLS):
    seen, queue, visited = set(start_urls), deque(start_urls), {}
    while queue and len(visited) < max_urls:
        url = queue.popleft()
        response = client.get(url)
        body = body_of(response)
        visited[url] = (response.status_code, body)
        targets = HREF.findall(body) if "html" in response.get("Content-Type", "") else []
        if response.status_code in (301, 302) and response.get("Location"):
            targets.append(response["Location"])
        for target in targets:
            path = internal(urljoin(url, target.replace("&amp;", "&")))
            if path and path not in seen:
                seen.add(path)
                queue.append(path)
    return visited


def leaking(visited) -> dict[str, int]:
    """The crawled URLs whose answer carries the marker, with their status."""
    return {url: status for url, (status, body) in visited.items() if MARKER in body.lower()}


def test_nothing_private_reaches_an_anonymous_visitor(client, seeded):
    sites = seeded["sites"]
    start = [
        "/",
        "/api/v2/pages/?limit=100",
        "/api/v2/pages/?limit=100&fields=*",
        "/api/v2/pages/?type=sitepages.SitePage",
        "/api/v2/pages/?type=sitepages.SiteIndexPage",
        "/api/v2/pages/?search=SITE-TITLE",
        "/api/v2/images/",
        "/api/v2/documents/",
        f"/api/v2/documents/{seeded['document'].pk}/",
        reverse("wagtailapi:statistics:listing"),
        reverse("wagtailapi:statistics:csv"),
        f"/api/v2/pages/find/?html_path={sites[1].url}",
        SEARCH_URL,  # the query itself must not carry the marker
        "/territoires/recherche/?q=Rh",
        "/sitemap.xml",
        *[f"/api/v2/pages/{pk}/" for pk in Page.objects.values_list("pk", flat=True)],
        *[site.url for site in sites],
        sites[0].get_parent().url,
        seeded["private"].url or "/brouillon/",
    ]
    visited = crawl(client, start)

    assert leaking(visited) == {}
    coordinates = [url for url, (_s, body) in visited.items() if LATITUDE in body]
    assert coordinates == []
    errors = {url: status for url, (status, _b) in visited.items() if status >= 500}
    assert errors == {}
    # The crawl did reach the public side (links followed from the home page).
    reached = {url for url, (status, _b) in visited.items() if status == 200}
    for key in ("statistics", "faq", "charter", "contact", "report", "guides", "legal_notice"):
        assert seeded["pages"][key].url in reached, key
    assert seeded["pages"]["declarer-une-action"].url in reached
    assert seeded["pages"]["guide-administrateurs-locaux"].url not in reached
    # Site pages and their index are never served to anonymous visitors.
    for site in sites:
        assert visited[site.url][0] in (302, 404)
    api_pages = visited["/api/v2/pages/?limit=100"][1]
    assert '"total_count": 0' not in api_pages and "sitepages." not in api_pages
    # The search is for signed-in users only: the anonymous visitor is sent to the login page
    # (the positive control below shows the same search does return the sites to a reader).
    search = client.get(SEARCH_URL)
    assert search.status_code == 302 and search.url.startswith(reverse("login")), search


def test_the_leak_check_finds_the_markers_on_the_pages_of_a_reader(client, seeded):
    """Positive control: the crawl and the marker check do see the private texts when they are
    rendered — here to a national administrator, who may read the sites — on the site pages,
    the search results and the journal, so their absence above is not an accident of encoding
    or of pages that never render them."""
    client.force_login(UserFactory(role=Role.NATIONAL_ADMIN))
    sites = seeded["sites"]
    urls = [*[site.url for site in sites], SEARCH_URL]
    visited = crawl(client, urls, max_urls=len(urls))
    assert {url: status for url, (status, _b) in visited.items()} == dict.fromkeys(urls, 200)
    assert set(leaking(visited)) == set(urls)
    results = visited[SEARCH_URL][1]
    for index, site in enumerate(sites):
        assert site.title in results or f"ZZMARKER-SITE-NAME-{index}" in results, site.title
    assert "ZZMARKER-JOURNAL" in visited[sites[1].url][1]
