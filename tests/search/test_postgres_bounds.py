"""The PostgreSQL backend's bounded work: past `count_cap` matches it ranks and counts a bounded
set of candidates, says so (`total_capped`, `facets_sampled`), and still never counts, ranks or
shows a document the reader may not read. A small cap stands in for the production 1 000."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import SearchRequest
from search.backends.postgres import PostgresBackend
from search.indexing import document_values
from search.models import SearchDocument

pytestmark = pytest.mark.django_db

READER = {"site:dept:69", "public"}
TODAY = datetime.date(2026, 11, 1)
_numbers = itertools.count()


def document(title, text, *, days_ago=0, keys=("site:dept:69",), department="69", **extra):
    number = next(_numbers)
    values = document_values(
        "journal",
        number,
        {
            "title": title,
            "text": text,
            "department_code": department,
            "date": TODAY - datetime.timedelta(days=days_ago),
            "access_keys": list(keys),
            "url": f"/bounds/{number}/",
            **extra,
        },
    )
    return SearchDocument.objects.create(ref=f"bounds:{number}", **values)


def backend(cap=5, titles=3):
    instance = PostgresBackend()
    instance.count_cap, instance.title_candidates = cap, titles
    return instance


def search(instance, text="", **filters):
    return instance.search(SearchRequest(text=text, filters=filters, per_page=50), READER)


def test_below_the_cap_everything_is_exact():
    for days in range(4):
        document(f"Compte rendu {days}", "Visite du campement.", days_ago=days, status="open")
    document("Caché", "Visite du campement.", keys=["site:dept:13"], department="13")
    results = search(backend(cap=5), "campement")
    assert results.total == 4 and not results.total_capped and not results.facets_sampled
    assert dict(results.facets["department"]) == {"69": 4}
    assert dict(results.facets["status"]) == {"open": 4}
    assert len(results.hits) == 4


def test_past_the_cap_the_total_is_a_lower_bound_and_counts_a_readable_sample():
    for days in range(8):
        document(f"Compte rendu {days}", "Visite du campement.", days_ago=days + 10)
    # More recent than every readable one: a sample taken before the access filter would
    # hold them. They must appear nowhere.
    for days in range(4):
        document(f"Réservé {days}", "Visite du campement.", days_ago=days, keys=["site:dept:13"])
    results = search(backend(cap=5), "campement")
    assert results.total == 5 and results.total_capped and results.facets_sampled
    assert dict(results.facets["type"]) == {"journal": 5}  # the 5 most recent readable ones
    assert all("Réservé" not in hit.title for hit in results.hits)
    readable = {f"Compte rendu {days}" for days in range(8)}
    assert {hit.title for hit in results.hits} <= readable
    # Below the cap for a narrower search: exact again.
    narrow = search(backend(cap=5), "campement", year=["2026"])
    assert narrow.total_capped == (narrow.total == 5)


def test_an_old_title_match_is_still_ranked_first():
    for days in range(8):
        document(f"Compte rendu {days}", "Les familles et la mairie.", days_ago=days)
    document("Familles relogées", "Le comité.", days_ago=900)
    document("Familles réservées", "Le comité.", days_ago=800, keys=["site:dept:13"])
    results = search(backend(cap=5, titles=3), "familles")
    assert results.total_capped
    assert results.hits[0].title == "Familles relogées"
    assert "Familles réservées" not in [hit.title for hit in results.hits]
    # Its title matches « familles » alone, but the whole query excludes it.
    excluded = search(backend(cap=5, titles=3), "familles -comité")
    assert excluded.total_capped and excluded.hits
    assert "Familles relogées" not in [hit.title for hit in excluded.hits]


def test_a_selected_facet_is_counted_from_its_own_bounded_sample():
    for days in range(7):
        document(f"Rhône {days}", "Distribution alimentaire.", days_ago=days)
    document("Isère", "Distribution alimentaire.", days_ago=30, department="38")
    document("Caché", "Distribution alimentaire.", keys=["site:dept:13"], department="13")
    results = search(backend(cap=20), "distribution", department=["38"])
    assert results.total == 1 and not results.facets_sampled
    assert dict(results.facets["department"]) == {"69": 7, "38": 1}
    sampled = search(backend(cap=5), "distribution", department=["38"])
    assert sampled.total == 1 and not sampled.total_capped and sampled.facets_sampled
    assert dict(sampled.facets["department"]) == {"69": 5}  # the 5 most recent: all Rhône
    assert "13" not in dict(sampled.facets["department"])


def test_browsing_without_words_is_bounded_too():
    for days in range(7):
        document(f"Note {days}", "Texte.", days_ago=days)
    results = search(backend(cap=5))
    assert results.total_capped and results.total == 5
    assert [hit.title for hit in results.hits] == [f"Note {days}" for days in range(5)]


def test_the_query_count_does_not_grow_with_the_matches():
    def count(**filters):
        with CaptureQueriesContext(connection) as context:
            search(backend(cap=5), "campement", **filters)
        return len(context.captured_queries)

    document("Premier", "Le campement.")
    search(backend(cap=5), "campement")  # warm the connection
    small = count(), count(department=["69"])
    for days in range(12):
        document(f"Compte rendu {days}", "Le campement.", days_ago=days)
    assert (count(), count(department=["69"])) == small
    assert search(backend(cap=5), "campement").total_capped
