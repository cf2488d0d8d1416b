"""The write mix of the benchmark (issue 15, part 4): concurrent writes, then their count.

Under load, simulated users of `bench.pages.MAIN_ROLE` write to the SAME few sites (so that
real conflicts happen), each call of `journey(client, pages)` making one write the way a
browser does (GET the page, submit its form with every field as shown, follow the redirect):

- a site edit: the site form `/sites/<id>/modifier/`, every field and formset sent back as
  rendered (the hidden base revision included), the number of people set to a unique value;
  the answer is 302 (saved) or 409 (someone saved meanwhile: the conflict message is shown);
- "Visité, rien n'a changé": the confirmation form of `/sites/<id>/visite/`;
- a journal post: the form of `/journal/site/<id>/` with a unique marker as its text.

Every attempt is appended to a JSON-lines log under $BENCH_WRITE_LOG (one file per process:
locust runs as a subprocess of bench/run.py): kind, site, marker, status, outcome and whether
the answer told the user (the success message after the redirect, or the conflict message).

Once the load has stopped, `verify(database_url)` reads the logs and the database: every
accepted edit's value was introduced by exactly one revision of its site, every accepted visit
made one revision, every accepted post's marker is in exactly one journal entry, no refused
write is in the data and every answer told its outcome. bench/run.py puts the result in the
report under "write_mix" and fails the run when it returns `ok: False`.
"""

import itertools
import json
import os
import random
import re
import threading
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

ENABLED = True

#: Where the attempts are logged (a directory; bench/run.py sets it for locust).
LOG_ENV = "BENCH_WRITE_LOG"
#: How many sites every writer writes to: few, so that writers meet on them.
WRITE_SITES = 3
KINDS = ("edit", "visit", "journal")
WEIGHTS = (2, 1, 1)

#: What the platform answers (French, as users read it).
CONFLICT_MESSAGE = "Le site a été modifié pendant que vous le mettiez à jour"
SUCCESS_MESSAGES = {
    "edit": "Le site a été mis à jour.",
    "visit": "La visite a été enregistrée",
    "journal": "Votre message a été publié.",
}
FORM_ERRORS_MARK = "fr-alert--error"
#: The text of a journal post; the marker makes it unique.
JOURNAL_TEXT = "Passage de contrôle {marker} : rien à signaler."
MARKER = re.compile(r"wm\d+x\d+x\d+")

_sequence = itertools.count(1)
_sites: dict[str, list[int]] = {}
_sites_lock = threading.Lock()
_log_lock = threading.Lock()


# --- HTML forms as a browser submits them -------------------------------------------------------


class _Forms(HTMLParser):
    """Every <form> of a page: its attributes and the fields a browser would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None  # [name, multiple, options [(value, selected, disabled)]]
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self._form = {"attrs": a, "fields": [], "radios": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if kind == "radio":
                    self._form["radios"].setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "on")))
                return
            fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], "multiple" in a, [], "disabled" in a]
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, "disabled" in a, ""]
            self._select[2].append(self._option)
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], [], "disabled" in a]

    def handle_data(self, data):
        if self._option is not None:
            self._option[3] += data
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options, disabled = self._select
            values = [(v if v is not None else text.strip()) for v, sel, _d, text in options if sel]
            if not values and not multiple:
                enabled = [(v if v is not None else t.strip()) for v, _s, d, t in options if not d]
                values = enabled[:1]
            if not disabled and self._form is not None:
                self._form["fields"] += [
                    (name, value) for value in values[: None if multiple else 1]
                ]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts, disabled = self._textarea
            if not disabled and self._form is not None:
                self._form["fields"].append((name, "".join(parts).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def find_form(html: str, *, id: str | None = None, action: str | None = None) -> dict | None:
    """The form of `html` with this id, or posting to this path."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if id is not None and form["attrs"].get("id") == id:
            return form
        if action is not None and urlsplit(form["attrs"].get("action", "")).path == action:
            return form
    return None


def replace(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """`fields` with `name` set to `value` (added when the form had no such field)."""
    return [(key, old) for key, old in fields if key != name] + [(name, value)]


# --- The journey --------------------------------------------------------------------------------


def _origin(client) -> str:
    """The origin the browser sees: https behind the TLS proxy the client plays."""
    netloc = urlsplit(client.base_url).netloc
    proxied = client.headers.get("X-Forwarded-Proto") == "https"
    return f"{'https' if proxied else urlsplit(client.base_url).scheme}://{netloc}"


def _plain_http_cookies(client) -> None:
    # Production cookies are Secure (the session, CSRF, the messages): send them back over the
    # plain HTTP the load generator speaks to gunicorn.
    for cookie in client.cookies:
        cookie.secure = False


def _get(client, path: str, name: str):
    with client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code} {response.headers.get('location', '')}")
    _plain_http_cookies(client)
    return response


def sites(client) -> list[int]:
    """The first `WRITE_SITES` open sites of the map the user may edit, visit and write to
    (found once per process and server; every writer then uses the same ones)."""
    with _sites_lock:
        if client.base_url not in _sites:
            features = _get(client, "/sites/geojson/", "write: find sites").json()["features"]
            found = []
            for feature in features:
                page = _get(
                    client, urlsplit(feature["properties"]["url"]).path, "write: find sites"
                )
                ids = re.findall(r'href="/sites/(\d+)/(?:modifier|visite)/"', page.text)
                if len(ids) == 2 and ids[0] == ids[1] and "/journal/site/" in page.text:
                    found.append(int(ids[0]))
                if len(found) == WRITE_SITES:
                    break
            if not found:
                raise RuntimeError("No site to write to: the main role may edit none.")
            _sites[client.base_url] = found
        return _sites[client.base_url]


def new_marker() -> str:
    return f"wm{os.getpid()}x{next(_sequence)}x{random.randrange(10**6):06d}"


def _people(marker: str) -> str:
    """A unique number of people for the marker (fits PostgreSQL's integer)."""
    pid, sequence, salt = (int(part) for part in marker.removeprefix("wm").split("x"))
    return str(1_000_000 + (pid % 1000) * 1_000_000 + sequence * 1000 + salt % 1000)


def journey(client, pages: dict[str, str]) -> dict:
    """One write (an edit, a visit or a journal post) on one of the shared sites, logged.
    Returns the logged attempt."""
    kind = random.choices(KINDS, WEIGHTS)[0]
    site = random.choice(sites(client))
    return write(client, kind, site)


def write(client, kind: str, site: int) -> dict:
    marker = new_marker()
    if kind == "edit":
        form_path, action, form_id = (
            f"/sites/{site}/modifier/",
            f"/sites/{site}/modifier/",
            "site-form",
        )
    elif kind == "visit":
        form_path, action, form_id = (
            f"/sites/{site}/visite/",
            f"/sites/{site}/visite/",
            "visit-form",
        )
    else:
        form_path, action, form_id = (
            f"/journal/site/{site}/",
            f"/journal/site/{site}/publier/",
            None,
        )
    attempt = {"kind": kind, "site": site, "marker": marker, "started": time.time()}
    page = _get(client, form_path, f"write: {kind} (form)")
    form = find_form(page.text, id=form_id, action=None if form_id else action)
    if page.status_code != 200 or form is None:
        return _log(
            {
                **attempt,
                "status": None,
                "outcome": "not sent",
                "told": False,
                "detail": f"no form at {form_path} ({page.status_code})",
            }
        )
    fields = form["fields"]
    if kind == "edit":
        attempt["value"] = _people(marker)
        fields = replace(fields, "people", attempt["value"])
        time.sleep(random.uniform(0.2, 1.0))  # the person types: others may save meanwhile
    elif kind == "journal":
        fields = replace(fields, "text", JOURNAL_TEXT.format(marker=marker))
        if not any(key == "audience" for key, _value in fields):
            choices = form["radios"].get("audience") or []
            fields = fields + [("audience", choices[0])] if choices else fields
    origin = _origin(client)
    with client.post(
        action,
        data=fields,
        headers={"Referer": origin + form_path, "Origin": origin},
        name=f"write: {kind}",
        allow_redirects=False,
        catch_response=True,
    ) as answer:
        _plain_http_cookies(client)
        attempt["status"] = answer.status_code
        if answer.status_code == 302:
            attempt["outcome"] = "accepted"
            location = urlsplit(answer.headers.get("location", "")).path
            shown = _get(client, location, f"write: {kind} (answer)") if location else None
            attempt["told"] = shown is not None and SUCCESS_MESSAGES[kind] in shown.text
            if not attempt["told"]:
                status = shown.status_code if shown is not None else None
                attempt["detail"] = f"no success message at {location!r} ({status})"
                answer.failure(f"saved, but {attempt['detail']}")
        elif answer.status_code == 409 and kind == "edit":
            attempt["outcome"] = "refused"
            attempt["told"] = CONFLICT_MESSAGE in answer.text
            if attempt["told"]:
                answer.success()  # a conflict explained to the user is a legitimate answer
            else:
                answer.failure("409 without the conflict message")
        else:
            attempt["outcome"] = "refused"
            attempt["told"] = answer.status_code == 400 and FORM_ERRORS_MARK in answer.text
            attempt["detail"] = answer.text[:300] if answer.status_code >= 400 else ""
            answer.failure(f"{kind}: unexpected {answer.status_code}")
    attempt["ended"] = time.time()
    return _log(attempt)


def _log(attempt: dict) -> dict:
    directory = os.environ.get(LOG_ENV)
    if directory:
        line = json.dumps(attempt, ensure_ascii=False) + "\n"
        with _log_lock, open(Path(directory) / f"writes-{os.getpid()}.jsonl", "a") as stream:
            stream.write(line)
    return attempt


# --- The count ----------------------------------------------------------------------------------


def read_log(directory: str | Path) -> list[dict]:
    attempts = []
    for path in sorted(Path(directory).glob("writes-*.jsonl")):
        attempts += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return attempts


REVISIONS = """
    SELECT r.object_id::int, r.content ->> 'people', extract(epoch FROM r.created_at), r.user_id
    FROM wagtailcore_revision r
    JOIN django_content_type t ON t.id = r.base_content_type_id
    WHERE t.app_label = 'wagtailcore' AND t.model = 'page' AND r.object_id = ANY(%s)
    ORDER BY r.object_id, r.created_at, r.id
"""
ENTRIES = "SELECT site_id, text FROM journal_entry WHERE site_id = ANY(%s) AND text LIKE '%%wm%%'"


#: The counts of each kind of write, in the order of the report's columns.
COUNTS = (
    "attempted",
    "accepted",
    "refused",
    "verified",
    "missing",
    "duplicated",
    "refused_in_data",
    "unexplained",
)


def _blank(attempted=0) -> dict:
    return dict.fromkeys(COUNTS, 0) | {"attempted": attempted}


def verify(database_url: str, log_dir: str | Path | None = None) -> dict:
    """Count the logged writes against the database (see the module's docstring)."""
    import psycopg

    log_dir = log_dir or os.environ.get(LOG_ENV)
    attempts = read_log(log_dir) if log_dir else []
    kinds = {kind: _blank() for kind in KINDS}
    problems = []
    for attempt in attempts:
        row = kinds[attempt["kind"]]
        row["attempted"] += 1
        row["accepted" if attempt["outcome"] == "accepted" else "refused"] += 1
        if not attempt["told"]:
            row["unexplained"] += 1
            problems.append(
                f"{attempt['kind']} {attempt['marker']}: answer {attempt['status']} "
                "did not tell the user"
            )
    if not attempts:
        return {
            "ok": False,
            "sites": [],
            "kinds": kinds,
            "totals": _blank(),
            "problems": ["no write was attempted"],
        }
    site_ids = sorted({str(attempt["site"]) for attempt in attempts})
    with psycopg.connect(database_url) as connection:
        revisions = connection.execute(REVISIONS, [site_ids]).fetchall()
        entries = connection.execute(ENTRIES, [[int(s) for s in site_ids]]).fetchall()

    # Edits: how many revisions introduced each value (people changed to it).
    introduced = Counter()
    window_revisions = Counter()
    start = min(a["started"] for a in attempts)  # same clock as the server
    previous = {}
    for site, people, created, author in revisions:
        # Authored revisions only: the baseline a first change saves first has no author.
        if created >= start and author is not None:
            window_revisions[site] += 1
        if people is not None and previous.get(site, object()) != people:
            introduced[(site, people)] += 1
        previous[site] = people
    edit_revisions = Counter()
    for attempt in attempts:
        if attempt["kind"] == "edit" and "value" in attempt:
            count = introduced[(attempt["site"], attempt["value"])]
            _check(kinds["edit"], attempt, count, problems)
            if count and attempt["outcome"] == "accepted":
                edit_revisions[attempt["site"]] += 1

    # Visits: one revision each, beside the edits' (nobody else writes to these sites).
    visits = Counter(
        a["site"] for a in attempts if a["kind"] == "visit" and a["outcome"] == "accepted"
    )
    for site in {int(s) for s in site_ids}:
        found = window_revisions[site] - edit_revisions[site]
        expected = visits[site]
        kinds["visit"]["verified"] += min(found, expected)
        kinds["visit"]["missing"] += max(0, expected - found)
        kinds["visit"]["duplicated"] += max(0, found - expected)
        if found != expected:
            problems.append(f"site {site}: {expected} visits accepted, {found} visit revisions")

    # Journal posts: the marker in exactly one entry.
    markers = Counter()
    for site, text in entries:
        for marker in MARKER.findall(text):
            markers[(site, marker)] += 1
    for attempt in attempts:
        if attempt["kind"] == "journal":
            _check(
                kinds["journal"], attempt, markers[(attempt["site"], attempt["marker"])], problems
            )

    totals = _blank()
    for row in kinds.values():
        for key in totals:
            totals[key] += row[key]
    ok = all(
        totals[key] == 0 for key in ("missing", "duplicated", "refused_in_data", "unexplained")
    )
    return {
        "ok": ok,
        "sites": [int(s) for s in site_ids],
        "kinds": kinds,
        "totals": totals,
        "problems": problems[:20],
    }


def _check(row: dict, attempt: dict, count: int, problems: list) -> None:
    """One edit or post found `count` times in the data."""
    what = f"{attempt['kind']} {attempt['marker']} on site {attempt['site']}"
    if attempt["outcome"] == "accepted":
        if count == 1:
            row["verified"] += 1
        elif count == 0:
            row["missing"] += 1
            problems.append(f"{what}: accepted, not in the data")
        else:
            row["duplicated"] += 1
            problems.append(f"{what}: accepted, {count} times in the data")
    elif count:
        row["refused_in_data"] += 1
        problems.append(f"{what}: refused ({attempt['status']}), yet in the data")
