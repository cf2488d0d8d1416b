"""Server time of each page in-process: median over N requests through Django's test client
(production settings, DEBUG off, no network), with the SQL query count of one request and a
profile of where the time goes.

Run by bench/run.py with the production environment: `python -m bench.server_time PAGES_JSON N`.
Prints JSON: name → {"median_ms", "queries", "status", "profile"}.
"""

import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

import django

#: Requests profiled per page (cProfile slows them down: the profile gives shares, not times).
PROFILED_REQUESTS = 3
#: The project's own functions named in a page's profile, the costliest first.
TOP_FUNCTIONS = 4
ROOT = Path(__file__).resolve().parents[1]


def sql_time_ms(client, path: str, repeat: int) -> float:
    """Milliseconds per request spent waiting for PostgreSQL (timed around every query)."""
    from django.db import connection

    spent = [0.0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - start

    with connection.execute_wrapper(timed):
        for _ in range(repeat):
            client.get(path)
    return round(spent[0] * 1000 / repeat, 1)


def _project_function(filename: str) -> str | None:
    """`app/module.py` for a file of the project's own code (not a dependency, not the bench,
    not a middleware module), else None."""
    try:
        relative = Path(filename).resolve().relative_to(ROOT)
    except ValueError:
        return None
    if relative.parts[0] in (".venv", "bench") or "middleware" in relative.name:
        return None
    return str(relative)


def profile(client, path: str) -> dict:
    """Where a request's time goes, as shares of the profiled time: rendering templates (the
    outermost `Template.render`s, forms rendered through templates included), and the project's
    costliest functions (cumulative: a function's share includes what it calls)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILED_REQUESTS):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(inline for (_calls, _primitive, inline, _cumulative, _callers) in stats.values())
    rendering = max(
        (
            cumulative
            for (filename, _line, name), (_c, _p, _i, cumulative, _callers) in stats.items()
            if name == "render" and filename.endswith("django/template/base.py")
        ),
        default=0.0,
    )
    own = []
    for (filename, line, name), (_c, _p, _i, cumulative, _callers) in stats.items():
        module = _project_function(filename)
        # Middleware wrap every request (`__call__`): they would head every page's list.
        if module and not name.startswith("<") and name != "__call__":
            own.append((cumulative, f"{module}:{line} {name}"))
    own.sort(reverse=True)
    return {
        "templates_share": round(rendering / total, 2) if total else 0,
        "top": [[label, round(cumulative / total, 2)] for cumulative, label in own[:TOP_FUNCTIONS]]
        if total
        else [],
    }


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
        if response.status_code != 200:
            raise SystemExit(f"{name} ({path}) answered {response.status_code} in-process")
        results[name] = {
            "median_ms": round(statistics.median(timings), 1),
            "queries": query_count,
            "status": response.status_code,
            "sql_ms": sql_time_ms(client, path, min(repeat, 5)),
            "profile": profile(client, path),
        }
    return results


if __name__ == "__main__":
    django.setup()
    sys.stdout.write(json.dumps(measure(json.loads(sys.argv[1]), int(sys.argv[2]))) + "\n")
