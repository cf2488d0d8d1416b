"""The anonymous page cache (core/pagecache.py): public pages served from memory once warm,
fresh after a publication, never to members, never with a form's token."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import demo
from core import pagecache
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    return demo.load_demo()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each worker's memory outlives a test: start every test from an empty one."""
    from django.core.cache import caches

    caches["pages"].clear()


def warm(client, path):
    """The first visit marks the address cacheable, the second stores the page."""
    for _ in range(2):
        response = client.get(path)
        assert response[pagecache.HIT_HEADER] == "miss"
    return response


def test_a_public_page_is_served_from_memory_once_warm(client, pages):
    first = warm(client, "/")
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/")
    assert second[pagecache.HIT_HEADER] == "hit"
    assert second.content == first.content
    assert len(queries) <= 3, [query["sql"] for query in queries]
    # The headers set inside the chain are replayed, the outer ones set again.
    assert second["X-Frame-Options"] == first["X-Frame-Options"] == "DENY"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Type"].startswith("text/html")


def test_a_publication_makes_the_cached_pages_stale(
    client, pages, django_capture_on_commit_callbacks
):
    guide = pages["guides"].specific
    warm(client, guide.url)
    warm(client, "/")
    assert client.get(guide.url)[pagecache.HIT_HEADER] == "hit"
    guide.title = "Guides pratiques mis à jour"
    with django_capture_on_commit_callbacks(execute=True):  # the publication commits
        guide.save_revision().publish()
    response = client.get(guide.url)
    assert response[pagecache.HIT_HEADER] == "miss"
    assert "Guides pratiques mis à jour" in response.content.decode()
    # The home page lists it too: stale as well.
    assert client.get("/")[pagecache.HIT_HEADER] == "miss"


def test_a_write_rolled_back_keeps_the_cache(client, pages, django_capture_on_commit_callbacks):
    from django.db import transaction

    warm(client, "/")
    version = pagecache.current_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            guide = pages["guides"].specific
            guide.title = "Jamais publié"
            guide.save_revision().publish()
            raise RuntimeError
    assert callbacks == []
    assert pagecache.current_version() == version
    assert client.get("/")[pagecache.HIT_HEADER] == "hit"


def test_the_version_changes_after_the_commit_not_inside_the_writer_transaction(
    client, pages, django_capture_on_commit_callbacks
):
    """The version's row is never written in a writer's transaction: two writers taking it and
    a site's lock in opposite orders deadlocked (the bench's write mix found it)."""
    version = pagecache.current_version()
    with django_capture_on_commit_callbacks(execute=True):
        guide = pages["guides"].specific
        guide.title = "Guides pratiques mis à jour"
        guide.save_revision().publish()
        assert pagecache.current_version() == version  # still the old one before the commit
    assert pagecache.current_version() != version


def test_members_never_get_a_cached_page(client, pages):
    warm(client, "/")
    assert client.get("/")[pagecache.HIT_HEADER] == "hit"
    user = UserFactory()
    client.force_login(user)
    response = client.get("/")
    assert pagecache.HIT_HEADER not in response
    assert 'action="/deconnexion/"' in response.content.decode()
    # What a member saw is not served to the next visitor either.
    client.logout()
    anonymous = client.get("/")
    assert anonymous[pagecache.HIT_HEADER] == "hit"
    assert user.email not in anonymous.content.decode()


def test_a_page_holding_a_form_token_is_never_cached(client, pages):
    contact = pages["contact"].url
    for _ in range(2):
        response = client.get(contact)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert pagecache.HIT_HEADER not in response


def test_visitors_with_a_pending_message_get_a_fresh_page(client, pages):
    warm(client, "/")
    client.cookies["messages"] = "anything"
    assert pagecache.HIT_HEADER not in client.get("/")


def test_the_health_check_and_refusals_are_never_cached(client, pages):
    for _ in range(2):
        assert pagecache.HIT_HEADER not in client.get("/sante/")
        login_redirect = client.get("/tableau-de-bord/")
        assert login_redirect.status_code == 302
        assert pagecache.HIT_HEADER not in login_redirect
        missing = client.get("/nulle-part/")
        assert missing.status_code == 404
        assert pagecache.HIT_HEADER not in missing


def test_the_cache_is_off_at_zero_seconds(client, pages, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    client.get("/")
    assert pagecache.HIT_HEADER not in client.get("/")


def test_an_address_never_cacheable_costs_no_query(client, pages):
    """A JSON endpoint open to visitors (the territory search of the access request) is never
    stored: the cache does not even read its version."""
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/robots.txt")
        assert pagecache.HIT_HEADER not in response
        assert not any("platform_shared_cache" in query["sql"] for query in queries)
