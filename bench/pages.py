"""The pages the benchmark measures, found on the running platform (no id is hard-coded)."""

import json
import re
from urllib.parse import urlsplit

from bench.client import Client, links

DEMO_PASSWORD = "demo-resorption-2026"
# One account per journey (demo accounts; generated data keeps them).
ROLES = {
    "correspondant": "correspondant@demo.test",
    "national_admin": "national.admin@demo.test",
    "operateur": "operateur@demo.test",
}
MAIN_ROLE = "national_admin"

# name → path for pages that need no discovery; "anonymous" pages are fetched logged out.
ANONYMOUS_PAGES = {"health": "/sante/", "home": "/"}
FIXED_PAGES = {
    "dashboard": "/tableau-de-bord/",
    "site_list": "/sites/",
    "map": "/sites/carte/",
    "geojson": "/sites/geojson/",
    "activity_feed": "/notifications/activite/",
    "notifications": "/notifications/",
    "search": "/recherche/?q=terrain",
    "suggestions": "/recherche/suggestions/?q=ter",
    "directory": "/annuaire/",
    "forum_index": "/entraide/",
    # The partner API's main lists (docs/api.md), with the session of the logged-in client.
    "api_sites": "/api/v1/sites/",
    "api_directory": "/api/v1/utilisateurs/",
    "api_notifications": "/api/v1/notifications/",
}


def discover(client: Client) -> dict[str, str]:
    """Every measured page: name → path. `client` is logged in as an account that may edit."""
    pages = {**ANONYMOUS_PAGES, **FIXED_PAGES}
    home = client.get("/").text
    statistics = [link for link in links(home) if "statistiques" in link]
    pages["statistics"] = statistics[0] if statistics else "/statistiques/"
    features = json.loads(client.get("/sites/geojson/").body)["features"]
    for feature in features:
        path = urlsplit(feature["properties"]["url"]).path
        page_links = links(client.get(path).text)
        edit = [link for link in page_links if re.match(r"^/sites/\d+/modifier/$", link)]
        if edit:
            site_id = re.search(r"\d+", edit[0]).group()
            pages.update(site_page=path, site_edit=edit[0], journal=f"/journal/site/{site_id}/")
            break
    forum = links(client.get("/entraide/").text)
    forum_path = next(link for link in forum if re.match(r"^/entraide/forum/[^/]+/$", link))
    topics = links(client.get(forum_path).text)
    pages["forum_topic"] = next(
        link for link in topics if re.search(r"/topic/[^/]+/$", link) and "/create/" not in link
    )
    return pages
