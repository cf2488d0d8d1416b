"""The production check: the platform deployed exactly as docs/deploy.md tells an operator, then
every page type fetched over HTTP from gunicorn.

A PostgreSQL database of its own (an embedded server in a temporary directory, or a new database
on the server of DATABASE_URL), `migrate`, `compiletranslations`, `collectstatic` with the
production storage, `check --deploy`, demo data, gunicorn on a free port behind a simulated
reverse proxy (`X-Forwarded-Proto: https`), pages as an anonymous visitor and as a logged-in
correspondant, each page's hashed stylesheets and scripts (compressed when the client accepts
it), a French 404, and gunicorn stopped at the end.
"""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from bench.client import Client, assets, links

pytestmark = pytest.mark.production

DEMO_PASSWORD = "demo-resorption-2026"
ROLE_EMAIL = "correspondant@demo.test"
HASHED_ASSET = re.compile(r"^/static/.+\.[0-9a-f]{12}\.(css|js)$")


@pytest.fixture(scope="module")
def asset_checker(deployed):
    """Fetch each stylesheet/script once (gzip accepted) and remember what was wrong."""
    client = Client(deployed["url"])
    seen: dict[str, str] = {}

    def check(html: str, page: str) -> list[str]:
        urls = assets(html)
        assert urls, f"{page}: no stylesheet or script"
        problems = []
        for url in urls:
            if url not in seen:
                seen[url] = _asset_problem(client, url)
            if seen[url]:
                problems.append(f"{page}: {url}: {seen[url]}")
        return problems

    return check


def _asset_problem(client: Client, url: str) -> str:
    if not url.startswith("/static/"):  # a script the application writes (Wagtail's jsi18n)
        status = client.get(url).status
        return "" if status == 200 else f"HTTP {status}"
    if not HASHED_ASSET.match(url):
        return "not a hashed static URL"
    response = client.get(url, Accept_Encoding="gzip")
    if response.status != 200:
        return f"HTTP {response.status}"
    if response.headers.get("content-encoding") != "gzip":
        return "not compressed although the client accepts gzip"
    if "immutable" not in response.headers.get("cache-control", ""):
        return f"cache-control {response.headers.get('cache-control')!r}"
    if not response.body:
        return "empty"
    plain = client.get(url)
    if plain.headers.get("content-encoding") or plain.body != response.body:
        return "the uncompressed copy differs"
    return ""


def fetch_page(client: Client, path: str, check_assets, expect: str | None = None) -> str:
    response = client.get(path, Accept_Encoding="gzip")
    assert response.status == 200, f"{path}: HTTP {response.status}\n{response.text[:2000]}"
    html = response.text
    if expect is not None:
        assert expect in html, f"{path}: {expect!r} not in the page"
    if response.headers.get("content-type", "").startswith("text/html"):
        assert '<html lang="fr"' in html, f"{path}: not a French page"
        assert check_assets(html, path) == []
    return html


def first_editable_site(features: list[dict], fetch) -> tuple[str | None, str | None]:
    """The first site of the map whose page offers its edit form: (page path, form path)."""
    for feature in features:
        path = urlsplit(feature["properties"]["url"]).path
        edit = [link for link in links(fetch(path)) if re.match(r"^/sites/\d+/modifier/$", link)]
        if edit:
            return path, edit[0]
    return None, None


def test_the_deploy_commands_succeed(deployed):
    outputs = deployed["outputs"]
    assert "System check identified no issues" in outputs["check --deploy --fail-level WARNING"]
    static_root = deployed["workdir"] / "staticfiles"
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    cluster = manifest["vendor/leaflet-markercluster/leaflet.markercluster.js"]
    # The package names a sourcemap it does not ship: the comment is dropped, the file is kept.
    assert "sourceMappingURL" not in (static_root / cluster).read_text()
    # A sourcemap that exists is still rewritten to its hashed name.
    cluster_src = (
        static_root / manifest["vendor/leaflet-markercluster/leaflet.markercluster-src.js"]
    )
    hashed_map = manifest["vendor/leaflet-markercluster/leaflet.markercluster-src.js.map"]
    assert f"sourceMappingURL={hashed_map.rsplit('/', 1)[-1]}" in cluster_src.read_text()


ANONYMOUS_PAGES = [
    ("/", None),
    ("/connexion/", "csrfmiddlewaretoken"),
    ("/demande-acces/", "csrfmiddlewaretoken"),
    ("/admin/login/", "csrfmiddlewaretoken"),
]


def test_public_pages_answer_with_their_assets(deployed, asset_checker):
    client = Client(deployed["url"])
    for path, expect in ANONYMOUS_PAGES:
        fetch_page(client, path, asset_checker, expect)

    sitemap = client.get("/sitemap.xml")
    assert sitemap.status == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    public_paths = {
        urlsplit(location.text).path
        for location in ET.fromstring(sitemap.body).findall("s:url/s:loc", namespace)
    }
    # The editorial pages of the demo: guides, FAQ, statistics, contact and report forms…
    assert len(public_paths) >= 8, public_paths
    page_titles = " ".join(fetch_page(client, path, asset_checker) for path in sorted(public_paths))
    for title in ["Statistiques", "Questions fréquentes", "Guides d’utilisation", "Nous contacter"]:
        assert title in page_titles

    robots = client.get("/robots.txt")
    assert robots.status == 200 and "Sitemap: https://" in robots.text
    health = client.get("/sante/")
    assert health.status == 200 and json.loads(health.body) == {"status": "ok", "database": "ok"}
    api = client.get("/api/v2/pages/")
    assert api.status == 200 and json.loads(api.body)["meta"]["total_count"] >= 8


def test_without_the_proxy_header_http_is_redirected_to_https(deployed):
    response = Client(deployed["url"]).request("GET", "/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == 301
    assert response.headers["location"].startswith("https://")


def test_an_unknown_page_answers_a_french_404(deployed, asset_checker):
    client = Client(deployed["url"])
    response = client.get("/cette-page-n-existe-pas/", Accept_Encoding="gzip")
    assert response.status == 404
    assert '<html lang="fr"' in response.text
    assert "Page non trouvée" in response.text
    assert asset_checker(response.text, "404") == []


def test_a_logged_in_user_reaches_every_page_type(deployed, asset_checker):
    client = Client(deployed["url"])
    login = client.login(ROLE_EMAIL, DEMO_PASSWORD)
    assert login.status == 302, login.text[:2000]
    assert login.headers["location"] == "/tableau-de-bord/"
    assert "sessionid" in client.cookies

    def page(path, expect=None):
        return fetch_page(client, path, asset_checker, expect)

    page("/tableau-de-bord/")
    page("/sites/")
    page("/sites/carte/")
    geojson = client.get("/sites/geojson/")
    assert geojson.status == 200
    features = json.loads(geojson.body)["features"]
    assert features
    site_path, edit_path = first_editable_site(features, lambda path: page(path))
    assert site_path, "no site page offers its edit form to the correspondant"
    site_id = re.search(r"\d+", edit_path).group()
    page(f"/journal/site/{site_id}/")
    forum = page("/entraide/")
    forum_path = next(link for link in links(forum) if re.match(r"^/entraide/forum/[^/]+/$", link))
    topics = page(forum_path)
    topic_path = next(link for link in links(topics) if re.search(r"/topic/[^/]+/$", link))
    page(topic_path)
    page("/recherche/?q=site")
    suggestions = client.get("/recherche/suggestions/?q=sit")
    assert suggestions.status == 200
    page("/annuaire/")
    page("/notifications/")
    page("/notifications/activite/")
