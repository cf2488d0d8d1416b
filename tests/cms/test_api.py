"""The headless API exposes public pages of the public types only, the images and documents
public pages use, and the suppressed statistics."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction, ReferenceIndex

from cms.models import ContentPage, GuideIndexPage, GuidePage
from tests.cms.factories import add_page
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


def api_titles(client, query=""):
    response = client.get(f"/api/v2/pages/?limit=100{query}")
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_pages_are_public_editorial_pages_only(client):
    add_page(ContentPage, title="Mentions légales", body="<p>Éditeur</p>")
    guides = add_page(GuideIndexPage, title="Guides")
    add_page(GuidePage, parent=guides, title="Guide public", body=[])
    reserved = add_page(GuidePage, parent=guides, title="Guide réservé", body=[])
    PageViewRestriction.objects.create(page=reserved, restriction_type=PageViewRestriction.LOGIN)
    draft = ContentPage(title="Brouillon", slug="brouillon", body="<p>x</p>", live=False)
    guides.get_parent().add_child(instance=draft)
    site = SitePageFactory(title="Site secret")

    titles = api_titles(client)
    assert {"Mentions légales", "Guides", "Guide public"} <= titles
    assert not titles & {"Guide réservé", "Brouillon", "Site secret", site.get_parent().title}
    assert api_titles(client, "&type=sitepages.SitePage") == set()
    assert client.get(f"/api/v2/pages/{site.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{site.get_parent().pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{reserved.pk}/").status_code == 404
    # Filtering on a site index or a site must not reveal its children: Wagtail answers that the
    # parent does not exist (400), exactly as for a page id that was never used, and names nothing.
    for parent in (site.get_parent(), site):
        for query, message in (
            (f"child_of={parent.pk}", "parent page doesn't exist"),
            (f"descendant_of={parent.pk}", "ancestor page doesn't exist"),
        ):
            response = client.get(f"/api/v2/pages/?{query}")
            assert response.status_code == 400, (query, response.content)
            assert response.json() == {"message": message}
    detail = client.get(f"/api/v2/pages/{guides.pk}/").json()
    assert detail["meta"]["type"] == "cms.GuideIndexPage"


def test_documents_are_listed_only_when_a_public_page_uses_them(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    used = Document.objects.create(title="Guide PDF", file=ContentFile(b"a", name="guide.txt"))
    unused = Document.objects.create(title="Interne", file=ContentFile(b"b", name="interne.txt"))
    guides = add_page(GuideIndexPage, title="Guides")
    page = add_page(
        GuidePage,
        parent=guides,
        title="Avec document",
        body=[("document", {"document": used, "title": "Télécharger"})],
    )
    # The background worker keeps Wagtail's reference index up to date; do its work here.
    ReferenceIndex.create_or_update_for_object(page)
    response = client.get("/api/v2/documents/")
    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert titles == {"Guide PDF"}
    assert client.get(f"/api/v2/documents/{unused.pk}/").status_code == 404
    assert client.get(f"/api/v2/documents/{used.pk}/").status_code == 200
    assert client.get("/api/v2/images/").json()["items"] == []


def test_statistics_endpoint_is_anonymous_json(client):
    SitePageFactory(people=40)
    response = client.get("/api/v2/statistics/")
    assert response.status_code == 200
    data = response.json()
    assert data["totals"]["open_sites"] == "< 3"
    assert data["totals"]["people"] == 40
    assert {"departments", "years", "months", "computed_at", "suppression"} <= set(data)


@pytest.mark.parametrize(
    "query",
    [
        "offset=99999999999999999999",
        "offset=9223372036854775808",
        "limit=99999999999999999999",
        "offset=-1",
        "limit=-5",
        "offset=abc",
        "limit=1e9",
        "offset=%00",
        "limit=",
        "offset=10001",
    ],
)
@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_bad_paging_is_a_json_400(client, endpoint, query):
    response = client.get(f"/api/v2/{endpoint}/?{query}")
    assert response.status_code == 400, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]


def test_a_large_but_valid_offset_is_an_empty_page(client):
    add_page(ContentPage, title="Mentions légales", body="<p>Éditeur</p>")
    response = client.get("/api/v2/pages/?offset=10000")
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/find/?id=",
        "/api/v2/pages/find/?id=abc",
        "/api/v2/pages/find/?id=99999999999999999999",
        "/api/v2/documents/find/?id=",
        "/api/v2/images/find/?id=x",
    ],
)
def test_find_with_a_bad_id_is_a_json_error_never_a_500(client, url):
    response = client.get(url)
    assert response.status_code in (400, 404), (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
