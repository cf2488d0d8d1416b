"""PostgreSQL full-text search over `SearchDocument` (the default backend).

- words: the generated `search_vector` (`french_unaccent`: accents ignored, French stems),
  matched with `websearch_to_tsquery` (quotes, `-word`, `or` work as on the web);
- typos: when the words match nothing, trigram word similarity (`%>`, GIN-indexed) on `names`
  (title and commune name, lower case, without accents);
- ranking: `ts_rank` (title weighs more than commune, then text), or the trigram similarity;
- snippets: `ts_headline` with control-character markers, escaped in Python before the markers
  become `<mark>` (a document's HTML never reaches the page unescaped);
- facets: one `GROUPING SETS` query gives the total and the counts of every facet without a
  selection; a facet with a selection is counted over the other selections only (its own choices
  do not hide its other values). Always over the documents the reader may see;
- suggestions: titles containing the typed text (trigram-indexed `LIKE`), then similar ones.
"""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Value

from search.backends.base import (
    FACETS,
    START,
    STOP,
    Hit,
    Results,
    SearchBackend,
    SearchRequest,
    marked_snippet,
    plain_snippet,
)
from search.models import CONFIG, SearchDocument
from search.sources import normalize


class PostgresBackend(SearchBackend):
    name = "postgres"

    def _matching(self, text: str, keys: set[str]):
        """(readable matching documents, tsquery or None, rank expression or None).

        Words are matched with full-text search; only when nothing matches them does the
        search fall back to trigram similarity (typos), which costs more per row.
        """
        queryset = SearchDocument.objects.readable_by_keys(keys)
        text = text.strip()
        if not text:
            return queryset, None, None
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        words = queryset.filter(search_vector=query)
        if words.exists():
            return words, query, SearchRank(F("search_vector"), query)
        normalized = normalize(text)
        similar = queryset.filter(names__trigram_word_similar=normalized).annotate(
            similarity=TrigramWordSimilarity(Value(normalized), "names")
        )
        return similar, query, F("similarity")

    @staticmethod
    def _filtered(queryset, filters: dict[str, list[str]]):
        for name, values in filters.items():
            field = FACETS[name]
            if field == "tags":
                queryset = queryset.filter(tags__overlap=values)
            elif field == "year":
                queryset = queryset.filter(year__in=[int(v) for v in values if v.isdigit()])
            else:
                queryset = queryset.filter(**{f"{field}__in": values})
        return queryset

    def search(self, request: SearchRequest, keys: set[str]) -> Results:
        matching, query, rank = self._matching(request.text, keys)
        selected = request.active_filters()
        hits_queryset = self._filtered(matching, selected)
        # Facets without a selection (and the total) come from the hits' own set in one
        # GROUPING SETS query; a facet with a selection is counted without its own filter.
        facets, total = self._facet_counts(
            hits_queryset, [name for name in FACETS if name not in selected], with_total=True
        )
        for name in selected:
            counts, _total = self._facet_counts(
                self._filtered(matching, request.active_filters(without=name)), [name]
            )
            facets.update(counts)
        if query is not None:
            hits_queryset = hits_queryset.annotate(
                rank=rank,
                headline=SearchHeadline(
                    "text",
                    query,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            ).order_by("-rank", F("date").desc(nulls_last=True), "pk")
        else:
            hits_queryset = hits_queryset.order_by(F("date").desc(nulls_last=True), "pk")
        rows = hits_queryset.defer("search_vector", "names")[
            request.offset : request.offset + request.per_page
        ]
        hits = [
            Hit(
                ref=row.ref,
                doc_type=row.doc_type,
                title=row.title,
                url=row.url,
                snippet=(
                    marked_snippet(row.headline)
                    if query is not None and START in (row.headline or "")
                    else plain_snippet(row.text)
                ),
                date=row.date,
                department_code=row.department_code,
                commune_name=row.commune_name,
                status=row.status,
                tags=row.tags,
                score=float(getattr(row, "rank", 0.0) or 0.0),
            )
            for row in rows
        ]
        return Results(hits=hits, total=total, facets=facets, backend=self.name)

    @staticmethod
    def _facet_counts(queryset, names: list[str], *, with_total: bool = False):
        """({facet: [(value, count)]}, total or None), in at most two queries."""
        facets: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
        try:
            sql, params = queryset.values("pk").query.sql_with_params()
        except EmptyResultSet:
            return facets, 0
        table = SearchDocument._meta.db_table
        total = None
        plain = [name for name in names if FACETS[name] != "tags"]
        if plain or with_total:
            columns = [FACETS[name] for name in plain]
            sets = [f"({column})" for column in columns] + (["()"] if with_total else [])
            grouping = ", ".join(
                f"GROUPING({column}) AS g_{index}" for index, column in enumerate(columns)
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {', '.join(columns + [grouping]) if columns else '1'}, "  # noqa: S608
                    f"COUNT(*) FROM {table} WHERE {table}.id IN ({sql}) "
                    f"GROUP BY GROUPING SETS ({', '.join(sets)})",
                    params,
                )
                rows = cursor.fetchall()
            width = len(columns)
            for row in rows:
                values, flags, count = row[:width], row[width : 2 * width], row[-1]
                grouped = [index for index, flag in enumerate(flags) if flag == 0]
                if not grouped:
                    total = count
                    continue
                value = values[grouped[0]]
                if value in (None, ""):
                    continue
                facets[plain[grouped[0]]].append((str(value), count))
            for name in plain:
                facets[name].sort(key=lambda item: (-item[1], item[0]))
                facets[name] = facets[name][:50]
        if "tags" in names:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT tag, COUNT(*) FROM {table}, unnest(tags) AS tag "  # noqa: S608
                    f"WHERE {table}.id IN ({sql}) GROUP BY tag ORDER BY 2 DESC, 1 LIMIT 50",
                    params,
                )
                facets["tags"] = [(tag, count) for tag, count in cursor.fetchall()]
        return facets, (total or 0) if with_total else None

    def suggest(self, text: str, keys: set[str], *, limit: int = 8) -> list[dict]:
        """Titles (and commune names) containing the typed text, accents and case ignored
        (trigram-indexed `LIKE`); typo-tolerant trigram matches when too few contain it."""
        normalized = normalize(text)
        if len(normalized) < 2:
            return []
        readable = SearchDocument.objects.readable_by_keys(keys)
        similarity = TrigramWordSimilarity(Value(normalized), "names")
        rows = list(
            readable.filter(names__contains=normalized)
            .annotate(similarity=similarity)
            .order_by("-similarity", F("date").desc(nulls_last=True), "pk")
            .values("pk", "title", "url", "doc_type")[:limit]
        )
        if len(rows) < limit:
            rows += list(
                readable.filter(names__trigram_word_similar=normalized)
                .exclude(pk__in=[row["pk"] for row in rows])
                .annotate(similarity=similarity)
                .order_by("-similarity", "pk")
                .values("pk", "title", "url", "doc_type")[: limit - len(rows)]
            )
        return [{"title": r["title"], "url": r["url"], "type": r["doc_type"]} for r in rows]
