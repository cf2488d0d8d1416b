"""Fixtures of the search tests: an Elasticsearch-API server and both backends.

Production runs a real Elasticsearch 8 cluster; these tests start `noida-db`, an emulator of the
Elasticsearch API shipped as a PyPI wheel, so that the real client code path (elasticsearch-dsl,
bulk, terms filters, aggregations, highlights) is exercised. Without the binary, the
Elasticsearch half of the suite is skipped with a message, except under CI where it fails.
"""

import uuid

import pytest

from search.backends import get_backend
from search.emulator import ElasticsearchServer, binary
from tests.conftest import missing_tool


@pytest.fixture(scope="session")
def elasticsearch_server(tmp_path_factory):
    path = binary()
    if path is None:
        missing_tool("noida-db (the Elasticsearch-API emulator)", "`make install` (dev dependency)")
    server = ElasticsearchServer(path, tmp_path_factory.mktemp("noida-db"))
    server.start()
    yield server
    server.stop()


class BackendHarness:
    """The backend under test, and how to make the last writes searchable."""

    def __init__(self, name: str, server: ElasticsearchServer | None):
        self.name, self.server = name, server

    @property
    def backend(self):
        return get_backend()

    def sync(self) -> None:
        """PostgreSQL reads its rows directly; Elasticsearch needs the pending rows pushed."""
        if self.name == "elasticsearch":
            from search.replication import push_pending

            report = push_pending()
            assert not report.unavailable and not report.failed, report

    def search(self, user, text="", **filters):
        from search import access
        from search.backends import SearchRequest

        self.sync()
        return self.backend.search(
            SearchRequest(text=text, filters=filters, per_page=50), access.reader_keys(user)
        )

    def suggest(self, user, text):
        from search import access

        self.sync()
        return self.backend.suggest(text, access.reader_keys(user), limit=50)


@pytest.fixture(params=["postgres", "elasticsearch"])
def search_backend(request, settings):
    name = request.param
    server = request.getfixturevalue("elasticsearch_server") if name == "elasticsearch" else None
    settings.PLATFORM_SEARCH = {
        "BACKEND": name,
        "ELASTICSEARCH_URL": server.url if server else "http://127.0.0.1:9",
        "INDEX_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
        "TIMEOUT": 5,
    }
    harness = BackendHarness(name, server)
    yield harness
    if server is not None and server.is_up():
        from search.backends.elasticsearch import delete_indices

        # The index name is an alias: delete the physical indices behind it (and orphans).
        delete_indices()
