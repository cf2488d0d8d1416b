"""One test module, both backends: access (hits, facets, highlights, suggestions), French
relevance, snippets. `search_backend` (conftest) runs every test on PostgreSQL and on the
Elasticsearch API served by the noida-db emulator."""

import datetime

import pytest

from directory import perms
from directory.enums import Role, UserStatus
from directory.permission_matrix import Feature
from journal.models import Entry
from journal.perms import can_read_entry
from search.sources import SOURCES
from sitepages.models import SiteOwner
from tests.directory.factories import OrganizationFactory, UserFactory, give_area
from tests.search import factories as world_factories
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

READERS = ["national_admin", "intervenant_69", "intervenant_13", "observer_without_area"]


class World:
    """One thing of each searchable type and audience, each carrying a unique marker word."""

    def __init__(self):
        t = self.territories = world_factories.Territories()
        self.readers = {
            "national_admin": UserFactory(role=Role.NATIONAL_ADMIN, first_name="Nadia"),
            "intervenant_69": UserFactory(role=Role.INTERVENANT, first_name="Ivan"),
            "intervenant_13": UserFactory(role=Role.INTERVENANT, first_name="Irène"),
            "observer_without_area": UserFactory(role=Role.OBSERVATEUR_EXTERNE, first_name="Oscar"),
        }
        give_area(self.readers["national_admin"], None)
        give_area(self.readers["intervenant_69"], t.d1)
        give_area(self.readers["intervenant_13"], t.d3)
        author = UserFactory(role=Role.NATIONAL_ADMIN, first_name="Auteur")
        give_area(author, None)

        self.site_69 = SitePageFactory(
            commune=t.c1,
            name="Campement Zanzibar",
            address="12 rue du Terrain",
            access_details="Accès par le chemin du terrain vague",
            heatwave=True,
            bailiff="Maître Gorgonzola",
            justice_court="Tribunal judiciaire Gorgonzola",
        )
        SiteOwner.objects.create(site=self.site_69, type="private", name="Xylophone SARL")
        self.site_69.save_revision().publish()  # owners are saved with a revision
        self.site_13 = SitePageFactory(
            commune=t.c4,
            name="Terrain Quetzal",
            address="3 chemin du terrain",
            closed_at=datetime.date.today(),
            closing_cause="other",
            closing_context="Départ des familles.",
        )
        forum = world_factories.forum()
        topic = world_factories.make_topic(
            forum,
            author,
            subject="Scolarisation Kiwano",
            content="Comment inscrire les enfants à l’école Kiwano près du terrain ?",
            tags=["school"],
        )
        world_factories.make_reply(topic, author, content="Réponse Tamarin : voir la mairie.")
        world_factories.make_reply(
            topic, UserFactory(), content="Réponse Ornithorynque en attente.", approved=False
        )
        world_factories.make_topic(
            forum,
            UserFactory(),
            subject="Question Mandragore",
            content="Sujet Mandragore en attente de modération sur le terrain.",
            approved=False,
        )
        world_factories.content_page(
            "Guide Pélican", "<p>Le guide Pélican explique le terrain.</p>"
        )
        world_factories.content_page("Brouillon Pangolin", "<p>Pangolin.</p>", live=False)
        OrganizationFactory(name="Association Tamanoir")
        OrganizationFactory(name="Association Wombat", is_active=False)
        UserFactory(first_name="Gaspard", last_name="Okapi", position="Médiateur")
        UserFactory(first_name="Inès", last_name="Lémurien", status=UserStatus.INACTIVE)
        self.entries = {}
        self.entries["capybara"] = Entry.objects.create(
            site=self.site_69, author=author, text="Distribution Capybara sur le terrain."
        )
        private = Entry.objects.create(
            site=self.site_69,
            author=author,
            text="Message Axolotl réservé.",
            audience="chosen",
        )
        private.audience_organizations.set([OrganizationFactory()])
        self.entries["axolotl"] = private


# marker → (type, visible to national_admin, intervenant_69, intervenant_13, observer)
VISIBILITY = {
    "zanzibar": ("site", True, True, False, False),
    "quetzal": ("site", True, False, True, False),
    "xylophone": ("site owner (never indexed)", False, False, False, False),
    "gorgonzola": ("justice (never indexed)", False, False, False, False),
    "kiwano": ("topic", True, True, True, True),
    "tamarin": ("post", True, True, True, True),
    "ornithorynque": ("post awaiting approval", True, False, False, False),
    "mandragore": ("topic awaiting approval", True, False, False, False),
    "pelican": ("page", True, True, True, True),
    "pangolin": ("draft page", False, False, False, False),
    "tamanoir": ("organization", True, True, True, True),
    "wombat": ("inactive organization", False, False, False, False),
    "okapi": ("person", True, True, True, True),
    "lemurien": ("inactive person", False, False, False, False),
    "capybara": ("journal", True, True, False, False),
    "axolotl": ("private journal", True, False, False, False),
}


def _visible(marker, reader):
    return VISIBILITY[marker][1 + READERS.index(reader)]


def _markers(world):
    assert world.entries.keys() <= VISIBILITY.keys()
    return list(VISIBILITY)


@pytest.fixture
def world(search_backend):
    return World()


def test_the_visibility_table_agrees_with_the_permission_rules(world, search_backend):
    """The expectations above are the platform's rules, not the search app's opinion."""
    from forum import perms as forum_perms

    for reader_name in READERS:
        reader = world.readers[reader_name]
        assert _visible("zanzibar", reader_name) is perms.can(
            reader, Feature.SITE_READ, world.site_69
        )
        assert _visible("quetzal", reader_name) is perms.can(
            reader, Feature.SITE_READ, world.site_13
        )
        assert _visible("mandragore", reader_name) is forum_perms.is_forum_moderator(reader)
        assert world.entries
        for marker, entry in world.entries.items():
            assert _visible(marker, reader_name) is can_read_entry(reader, entry), marker


@pytest.mark.parametrize("reader_name", READERS)
def test_a_reader_finds_exactly_what_they_may_read(world, search_backend, reader_name):
    reader = world.readers[reader_name]
    for marker in _markers(world):
        results = search_backend.search(reader, marker)
        texts = " ".join(f"{hit.title} {hit.snippet}" for hit in results.hits).lower()
        found = bool(results.hits)
        assert found is _visible(marker, reader_name), (search_backend.name, marker)
        assert results.total == len(results.hits)
        if not _visible(marker, reader_name):
            assert results.total == 0
            assert all(count == 0 for values in results.facets.values() for _, count in values)
            assert marker not in texts


@pytest.mark.parametrize("reader_name", READERS)
def test_shared_words_never_leak_in_highlights_or_facets(world, search_backend, reader_name):
    """« terrain » appears in every site, topic, page and entry: what comes back (hits,
    highlights, facet counts) only ever concerns readable documents."""
    reader = world.readers[reader_name]
    results = search_backend.search(reader, "terrain")
    text = " ".join(f"{hit.title} {hit.snippet}" for hit in results.hits).lower()
    for marker in _markers(world):
        if not _visible(marker, reader_name):
            assert marker not in text, (search_backend.name, marker)
    types = dict(results.facets["type"])
    expected_sites = _visible("zanzibar", reader_name) + _visible("quetzal", reader_name)
    assert types.get("site", 0) == expected_sites
    statuses = dict(results.facets["status"])
    assert statuses.get("closed", 0) == int(_visible("quetzal", reader_name))
    assert statuses.get("pending_approval", 0) == int(_visible("mandragore", reader_name))
    # Both entries carry the site's name (« … rue du Terrain ») in their title.
    expected_entries = _visible("capybara", reader_name) + _visible("axolotl", reader_name)
    assert types.get("journal", 0) == expected_entries
    # Everything readable, no words: the facet counts add up to readable documents only.
    everything = search_backend.search(reader, "")
    assert sum(count for _, count in everything.facets["type"]) == everything.total
    assert everything.total == len(everything.hits) or everything.total > 50


@pytest.mark.parametrize("reader_name", READERS)
def test_suggestions_are_filtered(world, search_backend, reader_name):
    reader = world.readers[reader_name]
    prefixes = {"zanzibar": "Zanzib", "quetzal": "Quetza", "kiwano": "Kiwan", "okapi": "Okap"}
    for marker, prefix in prefixes.items():
        titles = " ".join(s["title"] for s in search_backend.suggest(reader, prefix)).lower()
        assert (marker in titles) is _visible(marker, reader_name), (search_backend.name, marker)
    for hidden in ("mandragore", "pangolin", "wombat", "lemurien"):
        titles = " ".join(s["title"] for s in search_backend.suggest(reader, hidden[:6]))
        assert (hidden in titles.lower()) is _visible(hidden, reader_name), hidden


def test_sensitive_site_fields_are_never_indexed(world, search_backend):
    document = SOURCES["site"].build(world.site_69)
    flat = " ".join(str(value) for value in document.values()).lower()
    assert "xylophone" not in flat and "gorgonzola" not in flat


# --- Relevance in French ----------------------------------------------------------------------


@pytest.fixture
def reader(search_backend):
    user = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(user, None)
    return user


def _titles(results):
    return [hit.title for hit in results.hits]


def test_accents_are_ignored(search_backend, reader):
    world_factories.content_page("Élection des délégués", "<p>Le comité élit ses délégués.</p>")
    for text in ("election", "élection", "ELECTION", "delegues"):
        assert "Élection des délégués" in _titles(search_backend.search(reader, text)), text


def test_plurals_and_stems(search_backend, reader):
    world_factories.content_page("Campements", "<p>Les familles vivent dans des caravanes.</p>")
    world_factories.content_page("Une caravane", "<p>Rien d’autre.</p>")
    assert "Campements" in _titles(search_backend.search(reader, "campement"))
    found = _titles(search_backend.search(reader, "caravane"))
    assert "Campements" in found and "Une caravane" in found
    assert "Campements" in _titles(search_backend.search(reader, "familles"))


def test_a_typo_in_a_commune_name(search_backend, reader):
    territories = world_factories.Territories()
    SitePageFactory(commune=territories.c1, name="Terrain du stade", address="")
    SitePageFactory(commune=territories.c4, name="Autre terrain", address="")
    found = search_backend.search(reader, "Vileurbanne")
    assert [hit.commune_name for hit in found.hits] == ["Villeurbanne"]
    assert "Villeurbanne" in " ".join(
        s["title"] for s in search_backend.suggest(reader, "Villeurb")
    )


def test_title_matches_rank_first(search_backend, reader):
    world_factories.content_page("Accès à l’eau", "<p>Une fontaine publique.</p>")
    world_factories.content_page("Électricité", "<p>Le raccordement dépend de l’eau chaude.</p>")
    assert _titles(search_backend.search(reader, "eau"))[0] == "Accès à l’eau"


def test_snippets_highlight_words_and_escape_html(search_backend, reader):
    SitePageFactory(
        commune=world_factories.Territories().c1,
        name="Terrain piégé",
        access_details='<img src=x onerror="alert(1)"> La scolarisation avance & progresse.',
    )
    results = search_backend.search(reader, "scolarisation")
    (hit,) = results.hits
    assert "<mark>scolarisation</mark>" in hit.snippet.lower()
    assert "<img" not in hit.snippet
    assert "&amp;" in hit.snippet  # the text is escaped before the marks are added
    assert hit.snippet.count("<") == hit.snippet.count("<mark>") + hit.snippet.count("</mark>")


def test_facet_filters_combine(search_backend, reader):
    territories = world_factories.Territories()
    SitePageFactory(commune=territories.c1, name="Terrain A")
    SitePageFactory(commune=territories.c4, name="Terrain B")
    world_factories.content_page("Terrain C", "<p>Guide.</p>")
    results = search_backend.search(reader, "terrain", department=["69"])
    assert _titles(results) == [results.hits[0].title] and "Terrain A" in results.hits[0].title
    # A facet's own selection does not hide its other values.
    assert dict(results.facets["department"]) == {"69": 1, "13": 1}
    assert dict(results.facets["type"]) == {"site": 1}
    pages = search_backend.search(reader, "terrain", type=["page"])
    assert _titles(pages) == ["Terrain C"]
    both = search_backend.search(reader, "terrain", department=["69", "13"])
    assert both.total == 2
