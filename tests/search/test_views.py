"""The search page and the suggestions endpoint (PostgreSQL backend; the backends themselves
are compared in test_search.py)."""

import pytest
from django.urls import reverse

from directory.enums import Role
from tests.directory.factories import UserFactory, give_area
from tests.search import factories as world
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

URL = reverse("search:search")
SUGGEST = reverse("search:suggestions")


@pytest.fixture
def territories():
    return world.Territories()


@pytest.fixture
def reader(client, territories):
    user = UserFactory(role=Role.INTERVENANT)
    give_area(user, territories.d1)
    client.force_login(user)
    return user


def test_anonymous_visitors_are_sent_to_login(client):
    for url in (URL, SUGGEST + "?q=ter"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_charter_gate_applies(client):
    from directory.models import CharterVersion

    CharterVersion.objects.create(version=99, title="Charte révisée", body="<p>Texte v99</p>")
    client.force_login(UserFactory(charter_version_accepted=None, charter_accepted_at=None))
    response = client.get(URL + "?q=terrain")
    assert response.status_code == 302 and response.url.startswith(reverse("charter"))


def test_the_page_without_words_invites_to_search(client, reader):
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Que cherchez-vous" in content or "What are you looking for" in content
    assert 'role="combobox"' in content and "search-autocomplete.js" in content


def test_results_facets_and_highlights(client, reader, territories):
    SitePageFactory(commune=territories.c1, name="Terrain des Lilas", access_details="Près du pont")
    SitePageFactory(commune=territories.c4, name="Terrain caché de Marseille")
    world.content_page("Guide du terrain", "<p>Bien décrire un terrain.</p>")
    response = client.get(URL, {"q": "terrain"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Terrain des Lilas" in content and "Guide du terrain" in content
    assert "caché de Marseille" not in content and "Bouches-du-Rhône" not in content
    assert "<mark>" in content
    facets = {facet["name"]: facet["options"] for facet in response.context["facets"]}
    assert [(o["value"], o["label"], o["count"]) for o in facets["department"]] == [
        ("69", "Rhône (69)", 1)
    ]
    assert {o["value"]: o["count"] for o in facets["type"]} == {"site": 1, "page": 1}
    assert 'value="69"' in content and "Rhône (69)" in content
    response = client.get(URL, {"q": "terrain", "type": "page"})
    content = response.content.decode()
    assert "Guide du terrain" in content and "Terrain des Lilas" not in content
    facets = {facet["name"]: facet["options"] for facet in response.context["facets"]}
    assert [o["value"] for o in facets["type"] if o["checked"]] == ["page"]
    assert {o["value"] for o in facets["type"]} == {"site", "page"}  # disjunctive facet


def test_empty_results(client, reader):
    response = client.get(URL, {"q": "introuvable"})
    assert response.status_code == 200
    assert response.context["results"].total == 0
    assert 'class="fr-callout"' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 500},
        {"q": "terrain", "page": "abc"},
        {"q": "terrain", "page": "-3"},
        {"q": "terrain", "page": "100000"},
        {"q": "terrain", "department": "<script>"},
        {"q": "terrain", "year": "deux-mille"},
        {"q": "terrain", "type": ["x"] * 100},
        {"q": "'\"&|!():*<>"},
        {"q": "-"},
    ],
)
def test_bad_parameters_never_fail(client, reader, params):
    response = client.get(URL, params)
    assert response.status_code == 200


def test_pagination(client, reader):
    for number in range(25):
        world.content_page(f"Fiche pratique {number}", "<p>Fiche pratique.</p>")
    first = client.get(URL, {"q": "fiche"})
    assert len(first.context["hits"]) == 20 and first.context["show_pagination"]
    second = client.get(URL, {"q": "fiche", "page": 2})
    assert len(second.context["hits"]) == 5
    assert "fr-pagination" in second.content.decode()


def test_suggestions_are_json_and_filtered(client, reader, territories):
    SitePageFactory(commune=territories.c1, name="Terrain visible")
    SitePageFactory(commune=territories.c4, name="Terrain invisible")
    response = client.get(SUGGEST, {"q": "Terrain"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    titles = [item["title"] for item in response.json()["results"]]
    assert any("Terrain visible" in title for title in titles)
    assert not any("invisible" in title for title in titles)
    assert client.get(SUGGEST, {"q": "T"}).json() == {"results": []}
    assert client.get(SUGGEST).json() == {"results": []}
    assert client.post(SUGGEST, {"q": "Terrain"}).status_code == 405


def test_query_count_is_flat(client, reader, territories):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            response = client.get(URL, {"q": "terrain"})
            assert response.status_code == 200
        return len(context.captured_queries), response.context["results"].total

    SitePageFactory(commune=territories.c1, name="Terrain 1")
    count_queries()  # warm the per-process caches (charter version, Wagtail site)
    small, few = count_queries()
    for number in range(30):
        SitePageFactory(commune=territories.c1 if number % 2 else territories.c2)
        world.content_page(f"Terrain guide {number}", "<p>Terrain.</p>")
    count_queries()  # warm again: on a slow machine the cached charter version may have expired
    large, many = count_queries()
    assert large == small
    assert many >= few + 30, (few, many)  # the larger run does render more results


def test_the_header_search_is_for_logged_in_users(client, reader):
    home = client.get("/").content.decode()
    assert 'id="header-search-input"' in home and f'action="{URL}"' in home
    client.logout()
    assert 'id="header-search-input"' not in client.get("/").content.decode()


def test_wagtail_admin_search_still_works(client):
    from wagtail.models import Page

    admin = UserFactory(role=Role.NATIONAL_ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin)
    world.content_page("Guide administrateur", "<p>Texte.</p>")
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "Guide"})
    assert response.status_code == 200
    assert Page.objects.filter(title="Guide administrateur").exists()


def test_a_capped_answer_says_so(client, reader, territories, monkeypatch):
    from search.backends.postgres import PostgresBackend

    for number in range(3):
        SitePageFactory(commune=territories.c1, name=f"Terrain {number}")
    SitePageFactory(commune=territories.c4, name="Terrain de Marseille")
    exact = client.get(URL, {"q": "terrain"})
    assert not exact.context["results"].total_capped
    assert 'id="facet-sample-note"' not in exact.content.decode()
    monkeypatch.setattr(PostgresBackend, "count_cap", 2)
    response = client.get(URL, {"q": "terrain"})
    content = response.content.decode()
    assert response.context["results"].total_capped
    assert "Plus de 2 résultats" in content
    assert 'id="facet-sample-note"' in content and 'aria-describedby="facet-sample-note"' in content
    assert "Marseille" not in content
    facets = {facet["name"]: facet["options"] for facet in response.context["facets"]}
    assert [(o["value"], o["count"]) for o in facets["department"]] == [("69", 2)]
    assert response.context["page_obj"].paginator.count == 2
    # Exact total, but the type facet (selected) was counted from a bounded sample.
    world.content_page("Guide du terrain", "<p>Décrire un terrain.</p>")
    response = client.get(URL, {"q": "terrain", "type": "page"})
    content = response.content.decode()
    results = response.context["results"]
    assert results.total == 1 and not results.total_capped and results.facets_sampled
    assert 'id="facet-sample-note"' in content
    assert "More than" not in content and "Plus de" not in content


def test_the_forum_search_box_finds_questions_and_answers(client, reader):
    """The « Entraide » search box sends type=forum: an alias of questions and answers."""
    board = world.forum()
    topic = world.make_topic(board, reader, subject="Scolarisation des familles", content="Quid ?")
    world.make_reply(topic, reader, content="Une famille a trouvé une école.")
    world.make_topic(board, reader, subject="Eau potable", content="Citerne ?")
    content = client.get(URL, {"q": "famille", "type": "forum"}).content.decode()
    assert "Scolarisation des familles" in content
    assert "Eau potable" not in content
    assert "0 résultat" not in content
