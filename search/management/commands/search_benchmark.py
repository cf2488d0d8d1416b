"""Benchmark both search backends on generated documents (not a test; see bench/).

    python manage.py search_benchmark --documents 100000

Generates documents inside a transaction that is rolled back at the end (the database is left
as it was), measures PostgreSQL full-text search, then copies the documents to Elasticsearch
(`--elasticsearch-url`, or a `noida-db` emulator started in a temporary directory) and measures
it with the same queries. Reports p50/p95/p99 latencies of a search page (hits, highlights and
five facets) and of the autocomplete, per backend, as Markdown.
"""

import datetime
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.utils.module_loading import import_string

from search.backends.base import SearchRequest
from search.indexing import document_values, search_settings
from search.models import SearchDocument

WORDS = (
    "terrain campement caravane cabane familles enfants école scolarisation inscription mairie "
    "eau fontaine citerne électricité groupe électrogène déchets collecte benne rats incendie "
    "extincteur diagnostic social santé vaccination médecin hôpital PMI emploi insertion "
    "formation logement hébergement urgence relogement expulsion procédure tribunal huissier "
    "préfecture DDETS association bénévoles médiation distribution alimentaire colis hiver "
    "canicule chaleur visite réunion comité pilotage partenaires bailleur commune métropole "
    "département région accompagnement suivi dossier domiciliation CCAS transport bus cantine "
    "collège lycée maternelle primaire apprentissage français cours alphabétisation stage "
    "contrat travail chantier nettoyage sanitaires toilettes douches robinet raccordement "
    "réseau compteur fuite boue pluie inondation froid chauffage poêle bois couvertures "
    "matelas tentes véhicules voitures installation arrivée départ fermeture résorption "
    "solution proposition orientation évaluation besoins situation administrative titre séjour"
).split()
SYLLABLES = "vil la bre ne mont pel lier bour gou lin sau ver cha teau neuf ro ches pont ar".split()
TAGS = ["health", "school", "employment", "housing", "mediation", "security", "humanitarian"]
TYPES = [("journal", 55), ("post", 15), ("site", 10), ("person", 10), ("page", 5), ("topic", 5)]


def _commune_names(rng, count):
    names = set()
    while len(names) < count:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if len(name) >= 7:
            names.add(name.capitalize())
    return sorted(names)


def _typo(rng, word):
    index = rng.randrange(1, len(word) - 1)
    return word[:index] + word[index + 1 :]


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Measure search latency (p50/p95) on generated documents, on both backends."

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--elasticsearch-url", default="")
        parser.add_argument("--skip-elasticsearch", action="store_true")
        parser.add_argument(
            "--postgres-backend",
            action="append",
            default=[],
            metavar="DOTTED.PATH",
            help="PostgreSQL backend class(es) to measure, one after the other on the same "
            "documents and queries (repeat the option to compare implementations); default: "
            "search.backends.postgres.PostgresBackend.",
        )
        parser.add_argument("--output", default="", help="Also write the Markdown report here.")
        parser.add_argument(
            "--time-budget",
            type=int,
            default=600,
            help="Seconds per backend; queries beyond it are not measured (slow emulator).",
        )

    def handle(
        self,
        *args,
        documents,
        queries,
        seed,
        elasticsearch_url,
        skip_elasticsearch,
        output,
        time_budget,
        postgres_backend,
        **options,
    ):
        if documents < 100:
            raise CommandError("Use at least 100 documents.")
        rng = random.Random(seed)
        self.time_budget = time_budget
        report = [f"## {documents:,} documents".replace(",", " "), ""]
        try:
            with transaction.atomic():
                self._generate(rng, documents, report)
                workload = self._workload(rng, queries)
                for path in postgres_backend or ["search.backends.postgres.PostgresBackend"]:
                    backend = import_string(path)()
                    self._measure(f"PostgreSQL — `{path}`", backend, workload, report)
                if not skip_elasticsearch:
                    self._elasticsearch(elasticsearch_url, workload, report)
                raise _Rollback
        except _Rollback:
            pass
        text = "\n".join(report)
        self.stdout.write(text)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")

    # --- data -------------------------------------------------------------------------------

    def _generate(self, rng, count, report):
        self.communes = _commune_names(rng, 600)
        self.departments = [f"{n:02d}" for n in range(1, 96)]
        commune_department = {name: rng.choice(self.departments) for name in self.communes}
        types = [t for t, weight in TYPES for _ in range(weight)]
        today = datetime.date(2026, 11, 1)
        started = time.perf_counter()
        batch = []
        for number in range(count):
            doc_type = rng.choice(types)
            commune = rng.choice(self.communes)
            department = commune_department[commune]
            words = rng.choices(WORDS, k=rng.randint(25, 90))
            date = today - datetime.timedelta(days=rng.randint(0, 2500))
            if doc_type in ("site", "journal"):
                keys = ["site:national", f"site:dept:{department}", f"site:commune:{commune}"]
                commune_name = commune
            elif doc_type in ("post", "topic"):
                keys, commune_name, department = ["forum:member"], "", ""
            elif doc_type == "person":
                keys, commune_name = ["directory"], ""
            else:
                keys, commune_name, department = ["public"], "", ""
            title = " ".join(rng.choices(WORDS, k=rng.randint(2, 6))).capitalize()
            if commune_name:
                title = f"{title} — {commune_name}"
            values = document_values(
                doc_type,
                number,
                {
                    "title": title,
                    "text": " ".join(words),
                    "commune_name": commune_name,
                    "department_code": department,
                    "date": date,
                    "status": rng.choice(["open", "closed", "resorbed", ""]),
                    "tags": rng.sample(TAGS, k=rng.randint(0, 2)),
                    "access_keys": keys,
                    "url": f"/bench/{number}/",
                },
            )
            batch.append(SearchDocument(ref=f"bench:{uuid.uuid4().hex}", **values))
            if len(batch) == 5000:
                SearchDocument.objects.bulk_create(batch)
                batch = []
        SearchDocument.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            table = SearchDocument._meta.db_table
            cursor.execute(f"ANALYZE {table}")
            # The steady state: autovacuum merges the GIN indexes' pending lists (`fastupdate`)
            # long before a real corpus reaches this size; without it, every search of this
            # rolled-back transaction would also scan megabytes of pending entries.
            cursor.execute(
                "SELECT gin_clean_pending_list(indexrelid) FROM pg_index JOIN pg_class "
                "ON pg_class.oid = indexrelid JOIN pg_am ON pg_am.oid = relam "
                "WHERE indrelid = %s::regclass AND amname = 'gin'",
                [table],
            )
        elapsed = time.perf_counter() - started
        report += [
            f"- PostgreSQL: {count} documents generated and written (generated `tsvector`, "
            f"GIN and trigram indexes) in {elapsed:.1f} s ({count / elapsed:.0f} documents/s).",
        ]

    def _workload(self, rng, count):
        national = {"site:national", "public", "directory", "forum:member"}
        workload = []
        for number in range(count):
            kind = number % 6
            if kind in (0, 1):
                text = rng.choice(WORDS)
            elif kind == 2:
                text = " ".join(rng.sample(WORDS, 2))
            elif kind == 3:
                text = _typo(rng, rng.choice(self.communes))
            elif kind == 4:
                text = rng.choice(self.communes)
            else:
                text = " ".join(rng.sample(WORDS, 3))
            if number % 2:
                department = rng.choice(self.departments)
                keys = {f"site:dept:{department}", "public", "directory", "forum:member"}
            else:
                keys = national
            filters = {"department": [rng.choice(self.departments)]} if number % 5 == 0 else {}
            workload.append((text, keys, filters))
        return workload

    # --- measures ---------------------------------------------------------------------------

    def _measure(self, label, backend, workload, report):
        load_before = os.getloadavg()
        for text, keys, filters in workload[:10]:  # warm caches
            backend.search(SearchRequest(text=text, filters=filters), keys)
        search_times, suggest_times, totals, capped = [], [], [], 0
        deadline = time.monotonic() + self.time_budget
        for text, keys, filters in workload:
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            results = backend.search(SearchRequest(text=text, filters=filters), keys)
            search_times.append((time.perf_counter() - started) * 1000)
            totals.append(results.total)
            capped += bool(getattr(results, "total_capped", False))
            if getattr(results, "fallback", False):
                raise CommandError(f"{label} fell back to PostgreSQL: the benchmark is invalid.")
            started = time.perf_counter()
            backend.suggest(text[:5], keys)
            suggest_times.append((time.perf_counter() - started) * 1000)
        report += [
            "",
            f"### {label}",
            "",
            "| request | p50 (ms) | p95 (ms) | p99 (ms) | mean (ms) |",
            "|---|---:|---:|---:|---:|",
            self._row("search page (hits + highlights + 5 facets)", search_times),
            self._row("autocomplete (5 first characters)", suggest_times),
            "",
            f"{len(search_times)} of {len(workload)} queries measured (time budget "
            f"{self.time_budget} s); median hits per query: {statistics.median(totals):.0f}"
            f" ({capped} answers capped at « more than … »); load average (1 min) "
            f"{load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after.",
        ]
        self.stdout.write(f"{label}: done")

    @staticmethod
    def _row(label, times):
        return (
            f"| {label} | {percentile(times, 0.5):.1f} | {percentile(times, 0.95):.1f} | "
            f"{percentile(times, 0.99):.1f} | {statistics.fmean(times):.1f} |"
        )

    def _elasticsearch(self, url, workload, report):
        from search.emulator import ElasticsearchServer, binary

        server = None
        temporary = None
        if not url:
            path = binary()
            if path is None:
                report += ["", "Elasticsearch: skipped (no URL given and noida-db missing)."]
                return
            temporary = tempfile.TemporaryDirectory(prefix="search-bench-")
            server = ElasticsearchServer(path, Path(temporary.name))
            server.start()
            url = server.url
        config = {
            **search_settings(),
            "BACKEND": "elasticsearch",
            "ELASTICSEARCH_URL": url,
            "INDEX_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
            "TIMEOUT": 120,
        }
        try:
            with override_settings(PLATFORM_SEARCH=config):
                from search.backends.elasticsearch import delete_indices, ensure_index
                from search.replication import push_pending

                ensure_index(recreate=True)
                pending = SearchDocument.objects.filter(ref__startswith="bench:").count()
                started = time.perf_counter()
                result = push_pending(batch_size=2000)
                elapsed = time.perf_counter() - started
                if result.unavailable or result.failed:
                    raise CommandError(f"Bulk indexing failed: {result}")
                report += [
                    "",
                    f"- Elasticsearch: {pending} documents bulk-indexed in {elapsed:.1f} s "
                    f"({pending / elapsed:.0f} documents/s, batches of 2000)"
                    + (" — noida-db emulator." if server else "."),
                ]
                from search.backends import get_backend

                self._measure(
                    "Elasticsearch" + (" (noida-db emulator)" if server else ""),
                    get_backend("elasticsearch"),
                    workload,
                    report,
                )
                delete_indices()
        finally:
            if server is not None:
                server.stop()
                temporary.cleanup()


class _Rollback(Exception):
    """Leaves the database as it was."""
