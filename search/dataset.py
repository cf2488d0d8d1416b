"""Synthetic data, search part: every search document built again from what the other steps
wrote (their bulk inserts sent no signal), as `rebuild_search_index` does (see `core.dataset`)."""

from django.core.management import call_command

from core.dataset import Generation, step
from search.models import SearchDocument


@step(70, "Recherche")
def generate_search_documents(generation: Generation) -> None:
    call_command("rebuild_search_index", stdout=generation.stdout)
    generation.record("search documents", SearchDocument.objects.alive().count())
