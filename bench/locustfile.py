"""Load of the benchmark (locust, headless; started by bench/run.py).

BENCH_PAGES (JSON: name → path) names the pages; BENCH_MODE is "journeys" (anonymous visitors
and several roles browsing with short pauses) or "page:<name>" (every user requests that one
page without pause, to measure its throughput). The write-mix journey plugs in here when
`bench.write_mix.ENABLED` (see that module).
"""

import json
import os
import re

from locust import HttpUser, between, constant, task

from bench import write_mix
from bench.client import SECOND_FACTOR_PATH, demo_totp_code
from bench.pages import ANONYMOUS_PAGES, DEMO_PASSWORD, MAIN_ROLE, ROLES

PAGES: dict[str, str] = json.loads(os.environ.get("BENCH_PAGES", "{}"))
MODE = os.environ.get("BENCH_MODE", "journeys")
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}


class PlatformUser(HttpUser):
    abstract = True
    account: str | None = None

    def on_start(self):
        self.client.headers.update(PROXY_HEADERS)
        if self.account:
            login(self.client, ROLES[self.account])

    def page(self, name: str):
        self.client.get(PAGES[name], name=name)


def login(client, email: str) -> None:
    form = client.get("/connexion/", name="login")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = client.post(
        "/connexion/",
        data={"csrfmiddlewaretoken": token, "username": email, "password": DEMO_PASSWORD},
        headers={"Referer": client.base_url + "/connexion/", "Origin": client.base_url},
        name="login",
        allow_redirects=False,
    )
    plain_http_cookies(client)
    if response.headers.get("location", "").startswith(SECOND_FACTOR_PATH):
        path = response.headers["location"]
        page = client.get(path, name="second factor")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        client.post(
            path,
            data={"csrfmiddlewaretoken": token, "code": demo_totp_code()},
            headers={"Referer": client.base_url + path, "Origin": client.base_url},
            name="second factor",
            allow_redirects=False,
        )
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
            weight = 1
            wait_time = between(0.5, 2)
            account = MAIN_ROLE

            @task
            def write(self):
                write_mix.journey(self.client, PAGES)
