"""Profile one page in-process with pyinstrument; writes bench/profiles/<page>-<time>.html/.txt.

    python -m bench.profile /sites/ [--as national.admin@demo.test] [--repeat 5]

Runs against the database of the current environment (by default the demo's embedded database:
run `make demo` once first), with DEBUG off, through Django's test client: what the profile
shows is the server's own work for that page, without network or gunicorn. Use it before and
after an optimisation and keep both files.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

PROFILES = Path(__file__).resolve().parent / "profiles"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", help="the page, e.g. /sites/ or /tableau-de-bord/")
    parser.add_argument("--as", dest="email", default="national.admin@demo.test")
    parser.add_argument("--anonymous", action="store_true")
    parser.add_argument("--repeat", type=int, default=5, help="requests profiled together")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="127.0.0.1")
    if not options.anonymous:
        from bench.server_time import verify_second_factor

        user = get_user_model().objects.get(email=options.email)
        client.force_login(user)
        verify_second_factor(client, user)  # administrators would be sent to the second factor
    warm = client.get(options.path)  # templates compiled, caches warm, as in a running server
    if warm.status_code != 200:
        sys.stderr.write(f"{options.path} answered {warm.status_code}\n")
        return 1
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(options.repeat):
        client.get(options.path)
    profiler.stop()
    PROFILES.mkdir(exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", options.path.lower()).strip("-") or "home"
    stem = PROFILES / f"{slug}-{time.strftime('%Y%m%d-%H%M%S')}"
    stem.with_suffix(".html").write_text(profiler.output_html())
    stem.with_suffix(".txt").write_text(profiler.output_text(unicode=True, color=False))
    sys.stdout.write(f"{stem}.html\n{stem}.txt\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
