"""The write mix of the benchmark (issue 15, part 4): where concurrent writes plug in.

Left off until the function that replays concurrent writes and verifies them lands. To plug
it in: set ENABLED, make `journey(client, pages)` perform one write (a site edit, a visit, a
journal post) through the locust `client` (logged in as `bench.pages.MAIN_ROLE`; CSRF token
from the form page), and make `verify(database_url)` check, once the load has stopped, that
every accepted write is there once and whole; bench/run.py puts its result in the report under
"write_mix" and fails the run when it returns `ok: False`.
"""

ENABLED = False


def journey(client, pages: dict[str, str]) -> None:
    raise NotImplementedError("The write mix is not plugged in yet (bench/write_mix.py).")


def verify(database_url: str) -> dict:
    return {"ok": True, "checked": 0, "note": "write mix not plugged in yet"}
