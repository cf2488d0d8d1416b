"""Load of the benchmark (locust, headless; started by bench/run.py).

BENCH_PAGES (JSON: name → path) names the pages; BENCH_MODE is "journeys" (anonymous visitors
and several roles browsing with short pauses) or "page:<name>" (every user requests that one
page without pause, to measure its throughput). In the journeys, writers edit sites, record
visits and post to the journal of a few shared sites (`bench.write_mix`, which logs every
attempt for the count that follows the load).
"""

import json
import os
import re

from gevent.lock import Semaphore
from locust import HttpUser, between, constant, task

from bench import write_mix
from bench.client import SECOND_FACTOR_PATH, demo_totp_code
from bench.pages import ANONYMOUS_PAGES, DEMO_PASSWORD, MAIN_ROLE, ROLES

PAGES: dict[str, str] = json.loads(os.environ.get("BENCH_PAGES", "{}"))
MODE = os.environ.get("BENCH_MODE", "journeys")

# One session per account, shared by the simulated users of that account: an administrator's
# second-factor code is accepted once per 30-second step, so each user logging in on its own
# would be refused.
# bench/run.py opens them once for every locust run (BENCH_SESSIONS); run alone, locust logs in.
SESSIONS: dict[str, dict[str, str]] = json.loads(os.environ.get("BENCH_SESSIONS", "{}"))
LOGIN_LOCK = Semaphore()
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}


class PlatformUser(HttpUser):
    abstract = True
    account: str | None = None

    def on_start(self):
        self.client.headers.update(PROXY_HEADERS)
        if self.account:
            with LOGIN_LOCK:
                if self.account not in SESSIONS:
                    login(self.client, ROLES[self.account])
                    SESSIONS[self.account] = {c.name: c.value for c in self.client.cookies}
            for name, value in SESSIONS[self.account].items():
                self.client.cookies.set(name, value)
            plain_http_cookies(self.client)

    def page(self, name: str):
        # A redirect (to the login page, the charter, the second factor) or an error is a failure:
        # otherwise a lost session would be measured as fast pages.
        with self.client.get(
            PAGES[name], name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                location = response.headers.get("location", "")
                response.failure(f"{response.status_code} {location}".strip())


def https_origin(client) -> str:
    """The origin the browser sees behind the TLS proxy: CSRF checks Referer and Origin against
    https://<host> since the requests say X-Forwarded-Proto: https."""
    return "https://" + client.base_url.split("://", 1)[1].rstrip("/")


def login(client, email: str) -> None:
    origin = https_origin(client)
    form = client.get("/connexion/", name="login")
    plain_http_cookies(client)  # the CSRF cookie is Secure: send it back over plain HTTP
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = client.post(
        "/connexion/",
        data={"csrfmiddlewaretoken": token, "username": email, "password": DEMO_PASSWORD},
        headers={"Referer": origin + "/connexion/", "Origin": origin},
        name="login",
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"Login of {email} refused ({response.status_code}).")
    plain_http_cookies(client)
    path = response.headers.get("location", "")
    if not path.startswith(SECOND_FACTOR_PATH):
        # Administrators are sent to the second factor by the first page they ask for.
        path = client.get(path, name="login", allow_redirects=False).headers.get("location", "")
        plain_http_cookies(client)
    if path.startswith(SECOND_FACTOR_PATH):
        page = client.get(path, name="second factor")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = client.post(
            path,
            data={"csrfmiddlewaretoken": token, "code": demo_totp_code()},
            headers={"Referer": origin + path, "Origin": origin},
            name="second factor",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"Second factor of {email} refused ({answer.status_code}).")
        plain_http_cookies(client)


def plain_http_cookies(client) -> None:
    # Production cookies are Secure: the proxy speaks HTTPS to the browser, plain HTTP here.
    for cookie in client.cookies:
        cookie.secure = False


if MODE.startswith("page:"):
    TARGET = MODE.removeprefix("page:")

    class OnePage(PlatformUser):
        wait_time = constant(0)
        account = None if TARGET in ANONYMOUS_PAGES else MAIN_ROLE

        @task
        def target(self):
            self.page(TARGET)

else:

    class AnonymousVisitor(PlatformUser):
        weight = 3
        wait_time = between(0.5, 2)

        @task(4)
        def home(self):
            self.page("home")

        @task(2)
        def statistics(self):
            self.page("statistics")

        @task(1)
        def health(self):
            self.page("health")

    class Correspondant(PlatformUser):
        weight = 3
        wait_time = between(0.5, 2)
        account = "correspondant"

        @task(3)
        def dashboard(self):
            self.page("dashboard")

        @task(3)
        def sites(self):
            self.page("site_list")
            self.page("site_page")

        @task(2)
        def map(self):
            self.page("map")
            self.page("geojson")

        @task(1)
        def journal(self):
            self.page("journal")

        @task(1)
        def notifications(self):
            self.page("notifications")
            self.page("activity_feed")

        @task(1)
        def api(self):
            self.page("api_sites")
            self.page("api_directory")
            self.page("api_notifications")

    class NationalAdmin(PlatformUser):
        weight = 2
        wait_time = between(0.5, 2)
        account = "national_admin"

        @task(2)
        def edit_site(self):
            self.page("site_page")
            self.page("site_edit")

        @task(2)
        def search(self):
            self.page("suggestions")
            self.page("search")

        @task(1)
        def directory(self):
            self.page("directory")

    class Operator(PlatformUser):
        weight = 2
        wait_time = between(0.5, 2)
        account = "operateur"

        @task(2)
        def forum(self):
            self.page("forum_index")
            self.page("forum_topic")

        @task(1)
        def feed(self):
            self.page("activity_feed")

    if write_mix.ENABLED:

        class Writer(PlatformUser):
            # About 4 of 20 users write, to the same few sites: enough to meet on one.
            weight = 2
            wait_time = between(0.5, 2)
            account = MAIN_ROLE

            @task
            def write(self):
                write_mix.journey(self.client, PAGES)
