"""The database server stops under the running platform (gunicorn not restarted): requests fail
fast with the French 503 page, nothing is half-written, and the platform recovers by itself
once the server is back."""

import json
import re
import threading
import uuid

import psycopg
import pytest

from bench import stack
from bench.client import Client, hidden_inputs
from tests.production.test_production_build import DEMO_PASSWORD, ROLE_EMAIL, first_editable_site

# A request that waited for a dead database longer than this would be a hang.
CLIENT_TIMEOUT = 30
WRITERS = 4


@pytest.fixture
def embedded(deployed):
    if deployed["pgdata"] is None:
        pytest.skip(
            "DATABASE_URL is set: the external server cannot be restarted by the test "
            "(deselect with -m 'not embedded')"
        )
    yield deployed
    if not _database_answers(deployed["database_url"]):  # leave it running for other tests
        stack.start_embedded_server(deployed["pgdata"])


def _database_answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.OperationalError:
        return False


def logged_in(url: str) -> Client:
    # A préfecture agent: no second factor, so several clients can log in within one TOTP step.
    client = Client(url, timeout=CLIENT_TIMEOUT)
    assert client.login(ROLE_EMAIL, DEMO_PASSWORD).status == 302
    return client


def journal_form(client: Client) -> tuple[str, dict]:
    """The post form of the first site's journal: its URL and the fields to send."""
    features = json.loads(client.get("/sites/geojson/").body)["features"]
    _site, edit_path = first_editable_site(features, lambda path: client.get(path).text)
    site_id = re.search(r"\d+", edit_path).group()
    path = f"/journal/site/{site_id}/publier/"
    form = client.get(path).text
    audience = re.search(r'name="audience" value="([^"]+)"', form).group(1)
    return path, {
        "csrfmiddlewaretoken": hidden_inputs(form)["csrfmiddlewaretoken"],
        "audience": audience,
    }


def assert_unavailable_page(response) -> None:
    assert response.status == 503, response.text[:1000]
    assert response.headers.get("retry-after") == "30"
    assert '<html lang="fr"' in response.text
    assert "Service momentanément indisponible" in response.text


def entries_and_logs(database_url: str, marker: str) -> tuple[dict[str, int], set[int]]:
    """Journal messages whose text holds `marker` (text → id), and the ids among them that have
    their audit entry (written in the same transaction)."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT text, id FROM journal_entry WHERE text LIKE %s", [f"%{marker}%"]
        ).fetchall()
        ids = [row[1] for row in rows]
        logged = conn.execute(
            "SELECT object_id FROM wagtailcore_modellogentry "
            "WHERE action = 'journal.post' AND object_id = ANY(%s)",
            [[str(pk) for pk in ids]],
        ).fetchall()
    texts = [row[0] for row in rows]
    assert len(texts) == len(set(texts)), "a message was written twice"
    return dict(rows), {int(row[0]) for row in logged}


@pytest.mark.embedded
def test_a_database_restart_fails_fast_then_recovers_without_half_writes(embedded):
    url, database_url, pgdata = embedded["url"], embedded["database_url"], embedded["pgdata"]
    reader = logged_in(url)
    assert reader.get("/tableau-de-bord/").status == 200
    post_path, fields = journal_form(reader)
    marker = f"panne-{uuid.uuid4().hex[:8]}"

    # Writers post journal messages without pause; the server is stopped as in a crash.
    outcomes: list[tuple[str, int]] = []
    stop = threading.Event()

    # Logged in before the outage: a writer still logging in when the server stops would only
    # measure its login.
    clients = [logged_in(url) for _ in range(WRITERS)]

    def write(number: int):
        client = clients[number]
        count = 0
        while not stop.is_set():
            text = f"Message {marker} {number}-{count}"
            count += 1
            try:
                status = client.post(
                    post_path,
                    {**fields, "csrfmiddlewaretoken": client.cookies["csrftoken"], "text": text},
                ).status
            except OSError as error:  # a hang would end here (timeout)
                status = f"no answer: {error}"
            outcomes.append((text, status))

    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in writers:
        thread.start()
    try:
        while len(outcomes) < 8:
            threading.Event().wait(0.1)
        stack.stop_embedded_server(pgdata, mode="immediate")
        written_before = len(outcomes)
        while len(outcomes) < written_before + 8:
            threading.Event().wait(0.1)

        # While the server is down: the French 503 page, for anonymous and logged-in pages.
        anonymous = Client(url, timeout=CLIENT_TIMEOUT)
        for client, path in [(anonymous, "/"), (anonymous, "/connexion/"), (reader, "/sites/")]:
            assert_unavailable_page(client.get(path))
        health = anonymous.get("/sante/")
        assert health.status == 503 and b'"database": "unavailable"' in health.body
    finally:
        stop.set()
        for thread in writers:
            thread.join(timeout=120)

    statuses = {status for _text, status in outcomes}
    assert statuses <= {302, 503}, statuses  # never a 500, never a hang
    assert 503 in statuses

    stack.start_embedded_server(pgdata)

    # Back without restarting gunicorn: every page answers, the session is still valid.
    for _ in range(6):  # more requests than workers, so that each worker reconnects
        assert reader.get("/tableau-de-bord/").status == 200
        assert Client(url).get("/").status == 200
    assert Client(url).get("/sante/").status == 200

    # Nothing half-written: each message that was accepted is there once, with its audit entry;
    # a message refused by the 503 is there whole (committed before the crash) or not at all.
    entries, logged = entries_and_logs(database_url, marker)
    accepted = {text for text, status in outcomes if status == 302}
    assert accepted and accepted <= set(entries)
    assert set(entries.values()) == logged, "a message without its audit entry"

    # The same post, sent again, is recorded once.
    again = f"Message {marker} again"
    response = reader.post(
        post_path, {**fields, "csrfmiddlewaretoken": reader.cookies["csrftoken"], "text": again}
    )
    assert response.status == 302
    assert again in entries_and_logs(database_url, marker)[0]
