"""Server time of each page in-process: median over N requests through Django's test client
(production settings, DEBUG off, no network), with the SQL query count of one request.

Run by bench/run.py with the production environment: `python -m bench.server_time PAGES_JSON N`.
Prints JSON: name → {"median_ms", "queries", "status"}.
"""

import json
import statistics
import sys
import time

import django


def verify_second_factor(client, user) -> None:
    """The session of `user` counts as confirmed by their authenticator, as after the second
    factor step (administrators are otherwise redirected to it)."""
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

    device = next(devices_for_user(user, confirmed=True), None)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def measure(pages: dict[str, str], repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import ANONYMOUS_PAGES, MAIN_ROLE, ROLES

    user = get_user_model().objects.get(email=ROLES[MAIN_ROLE])
    results = {}
    for name, path in pages.items():
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        if name not in ANONYMOUS_PAGES:
            client.force_login(user)
            verify_second_factor(client, user)
        # Warm: templates compiled, caches filled (an anonymous page is stored by the page
        # cache on its second request).
        client.get(path)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        # Counted now: the next request empties the connection's query log (request_started).
        query_count = len(queries)
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        results[name] = {
            "median_ms": round(statistics.median(timings), 1),
            "queries": query_count,
            "status": response.status_code,
        }
        if response.status_code != 200:
            raise SystemExit(f"{name} ({path}) answered {response.status_code} in-process")
    return results


if __name__ == "__main__":
    django.setup()
    sys.stdout.write(json.dumps(measure(json.loads(sys.argv[1]), int(sys.argv[2]))) + "\n")
