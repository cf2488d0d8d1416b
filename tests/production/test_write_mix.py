"""The benchmark's write mix (bench/write_mix.py): its writes land through the real forms, and
its count finds every accepted write once, no refused one, and every unexplained answer.

`verify` reads the database through a connection of its own: the tests commit what they write
(`transaction=True`; `serialized_rollback` gives the next tests the migrations' pages back).
"""

import time

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from bench import write_mix
from directory.enums import Role
from journal import services as journal_services
from journal.enums import Audience
from journal.models import Entry
from sitepages import services
from sitepages.models import SitePage
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import site_in, user_with

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url() -> str:
    """The test database, for the connection `verify` opens itself: the parameters of the
    connection Django opened (the embedded server's socket directory included)."""
    connection.ensure_connection()
    parameters = connection.connection.info.get_parameters()
    password = connection.settings_dict.get("PASSWORD")
    if password:
        parameters["password"] = password
    return psycopg.conninfo.make_conninfo(**parameters)


@pytest.fixture
def setting():
    here = DepartmentFactory()
    user = user_with(Role.LOCAL_ADMIN, here)
    sites = [site_in(here, people=10, households=3) for _ in range(2)]
    for site in sites:
        services.record_visit(site=site, user=user)  # a first revision, as on any real site
    return user, sites


# --- The journey against a live server ----------------------------------------------------------


class Answer:
    """What locust's `catch_response=True` gives: the response, with success() and failure();
    an error status neither marked is a failure, as in locust."""

    def __init__(self, response, failures):
        self._response, self._failures, self._marked = response, failures, False

    def __getattr__(self, name):
        return getattr(self._response, name)

    def success(self):
        self._marked = True

    def failure(self, message):
        self._marked = True
        self._failures.append(message)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if not self._marked and self._response.status_code >= 400:
            self._failures.append(f"{self._response.status_code} {self._response.url}")


class LocustLikeSession(requests.Session):
    """The calls of locust's HttpSession that the journey makes (base_url, name=,
    catch_response=), over requests."""

    def __init__(self, base_url):
        super().__init__()
        self.base_url = base_url
        self.failures = []

    def request(self, method, url, name=None, catch_response=False, **kwargs):
        response = super().request(method, self.base_url + url, **kwargs)
        return Answer(response, self.failures) if catch_response else response


def logged_in(live_server, user) -> LocustLikeSession:
    django_client = Client()
    django_client.force_login(user)
    session = LocustLikeSession(live_server.url)
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME]
    session.cookies.set(settings.SESSION_COOKIE_NAME, cookie.value)
    return session


def test_each_write_lands_and_a_conflict_is_explained(live_server, setting, tmp_path, monkeypatch):
    user, sites = setting
    site = sites[0]
    monkeypatch.setenv(write_mix.LOG_ENV, str(tmp_path))
    alice, bruno = logged_in(live_server, user), logged_in(live_server, user)

    visit = write_mix.write(alice, "visit", site.pk)
    post = write_mix.write(alice, "journal", site.pk)
    edit = write_mix.write(alice, "edit", site.pk)
    assert [a["status"] for a in (visit, post, edit)] == [302, 302, 302]
    assert all(a["told"] for a in (visit, post, edit)), [
        a.get("detail") for a in (visit, post, edit)
    ]
    assert SitePage.objects.get(pk=site.pk).people == int(edit["value"])
    assert Entry.objects.get(text__contains=post["marker"]).site_id == site.pk

    # Bruno saves while Alice types: Alice's save is refused and she is told so.
    during_typing = []

    def bruno_saves_once(_seconds):
        # Bruno's own save pauses too: only the first pause (Alice's) lets him in.
        if not during_typing:
            during_typing.append(None)
            during_typing[0] = write_mix.write(bruno, "edit", site.pk)

    monkeypatch.setattr(write_mix.time, "sleep", bruno_saves_once)
    refused = write_mix.write(alice, "edit", site.pk)
    assert during_typing[0]["status"] == 302
    assert (refused["status"], refused["outcome"], refused["told"]) == (409, "refused", True)
    assert SitePage.objects.get(pk=site.pk).people == int(during_typing[0]["value"])
    assert alice.failures == bruno.failures == []

    # The journey chooses among the shared sites.
    monkeypatch.setitem(write_mix._sites, alice.base_url, [sites[1].pk])
    assert write_mix.journey(alice, {})["site"] == sites[1].pk

    for session in (alice, bruno):  # no kept-alive connection holds the test database
        session.close()
    result = write_mix.verify(database_url(), tmp_path)
    assert result["ok"], result["problems"]
    # The accepted edits found once each (two, or three when the journey above chose an edit),
    # the refused one found nowhere (`ok`).
    edits = result["kinds"]["edit"]
    assert edits["refused"] == 1 and edits["accepted"] >= 2, edits
    assert edits["verified"] == edits["accepted"], edits
    assert result["totals"]["attempted"] == 6


def test_find_form_submits_what_a_browser_would():
    html = """
      <form id="f" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
        <input name="a" value="1"><input type="checkbox" name="b" value="y">
        <input type="checkbox" name="c" checked><input type="radio" name="r" value="1">
        <input type="radio" name="r" value="2" checked><input name="d" value="z" disabled>
        <select name="s"><option value="">–</option><option value="k" selected>K</option></select>
        <select name="t"><option value="first">F</option></select>
        <select name="m" multiple><option selected>u</option><option selected>v</option></select>
        <textarea name="txt">
hello</textarea><input type="submit" name="go" value="Go"></form>"""
    form = write_mix.find_form(html, id="f")
    assert form["fields"] == [
        ("csrfmiddlewaretoken", "t"),
        ("a", "1"),
        ("c", "on"),
        ("r", "2"),
        ("s", "k"),
        ("t", "first"),
        ("m", "u"),
        ("m", "v"),
        ("txt", "hello"),
    ]
    assert write_mix.find_form(html, action="/x/")["fields"] == form["fields"]
    assert write_mix.find_form(html, id="other") is None


# --- The count on a real database ---------------------------------------------------------------


def logged(kind, site, marker, *, outcome="accepted", told=True, value=None, started=None):
    attempt = {
        "kind": kind,
        "site": site.pk,
        "marker": marker,
        "started": started or time.time(),
        "status": 302 if outcome == "accepted" else 409,
        "outcome": outcome,
        "told": told,
    }
    if value is not None:
        attempt["value"] = str(value)
    return attempt


def set_people(site, user, value):
    def change(state):
        state.people = value

    return services.change_site(site=site, user=user, change=change).revision


def post_entry(site, user, marker):
    return journal_services.post_entry(
        site=site,
        author=user,
        text=write_mix.JOURNAL_TEXT.format(marker=marker),
        audience=Audience.SITE_READERS,
    )


@pytest.fixture
def written(setting, tmp_path, monkeypatch):
    """A write of each kind made, and logged as the journey logs them."""
    user, (site, other) = setting
    monkeypatch.setenv(write_mix.LOG_ENV, str(tmp_path))
    started = time.time()
    set_people(site, user, 1_234_567)
    services.record_visit(site=other, user=user)
    post_entry(site, user, "wm1x1x000001")
    for attempt in [
        logged("edit", site, "wm1x2x000002", value=1_234_567, started=started),
        logged("edit", site, "wm1x3x000003", value=7_654_321, outcome="refused", started=started),
        logged("visit", other, "wm1x4x000004", started=started),
        logged("journal", site, "wm1x1x000001", started=started),
    ]:
        write_mix._log(attempt)
    return user, site, other, tmp_path


def test_a_correct_log_is_verified(written):
    *_, log = written
    result = write_mix.verify(database_url(), log)
    assert result["ok"], result["problems"]
    kinds = result["kinds"]
    assert (kinds["edit"]["accepted"], kinds["edit"]["refused"], kinds["edit"]["verified"]) == (
        1,
        1,
        1,
    )
    assert kinds["visit"]["verified"] == kinds["journal"]["verified"] == 1


def failed(log, key):
    result = write_mix.verify(database_url(), log)
    assert not result["ok"]
    assert result["totals"][key] >= 1, result
    return result


def test_an_accepted_edit_missing_from_the_data_fails(written):
    *_, site, _other, log = written
    write_mix._log(logged("edit", site, "wm1x5x000005", value=2_222_222))
    failed(log, "missing")


def test_an_accepted_post_missing_from_the_data_fails(written):
    *_, site, _other, log = written
    write_mix._log(logged("journal", site, "wm1x6x000006"))
    failed(log, "missing")


def test_an_accepted_visit_without_its_revision_fails(written):
    *_, other, log = written
    write_mix._log(logged("visit", other, "wm1x7x000007"))
    failed(log, "missing")


def test_a_post_saved_twice_fails(written):
    user, site, _other, log = written
    post_entry(site, user, "wm1x1x000001")
    assert failed(log, "duplicated")["kinds"]["journal"]["duplicated"] == 1


def test_an_edit_saved_twice_fails(written):
    user, site, _other, log = written
    set_people(site, user, 11)
    set_people(site, user, 1_234_567)  # the same value introduced by a second revision
    failed(log, "duplicated")


def test_a_visit_recorded_twice_fails(written):
    user, _site, other, log = written
    services.record_visit(site=other, user=user)
    failed(log, "duplicated")


def test_a_refused_edit_found_in_the_data_fails(written):
    user, site, _other, log = written
    set_people(site, user, 7_654_321)
    failed(log, "refused_in_data")


def test_an_unexplained_refusal_fails(written):
    *_, site, _other, log = written
    write_mix._log(
        logged("edit", site, "wm1x8x000008", value=3_333_333, outcome="refused", told=False)
    )
    result = failed(log, "unexplained")
    assert result["kinds"]["edit"]["unexplained"] == 1


def test_no_write_at_all_is_no_success(setting, tmp_path):
    assert not write_mix.verify(database_url(), tmp_path)["ok"]
