"""Demo data for the search: index everything that exists (idempotent).

Objects created through the ORM are indexed by the signal handlers as they are saved; pages and
accounts created by data migrations are not (historical models send no signal to them), so the
demo loader, like a first deployment, rebuilds every document once.
"""

from django.core.management import call_command


def load_demo(stdout=None):
    call_command("rebuild_search_index", stdout=stdout)
