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
        client.get(path)  # warm: templates compiled, caches filled
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        results[name] = {
            "median_ms": round(statistics.median(timings), 1),
            "queries": len(queries),
            "status": response.status_code,
        }
    return results


if __name__ == "__main__":
    django.setup()
    sys.stdout.write(json.dumps(measure(json.loads(sys.argv[1]), int(sys.argv[2]))) + "\n")
