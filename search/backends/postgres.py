"""PostgreSQL full-text search over `SearchDocument` (the default backend).

- words: the generated `search_vector` (`french_unaccent`: accents ignored, French stems),
  matched with `websearch_to_tsquery` (quotes, `-word`, `or` work as on the web);
- typos: when the words match nothing, trigram word similarity (`%>`, GIN-indexed) on `names`
  (title and commune name, lower case, without accents);
- snippets: `ts_headline` with control-character markers, escaped in Python before the markers
  become `<mark>` (a document's HTML never reaches the page unescaped); computed for the shown
  hits only (PostgreSQL evaluates it after the sort and the limit);
- suggestions: titles containing the typed text (trigram-indexed `LIKE`), then similar ones.

Bounded work (see `bench/search-report.md`): a very common word matches a large share of the
corpus, and ranking, counting and faceting every match costs a read of most of the table. So:

- the **candidates** are the `COUNT_CAP` most recent readable matches (the `search_doc_recent`
  index on date is walked backwards, or the full-text bitmap sorted when the words are rare),
  plus the `TITLE_CANDIDATES` most recent readable matches *in the title* (GIN index on the
  title's `tsvector`), fetched in one `UNION ALL` query with the facet columns;
- up to `COUNT_CAP` matches, the total and the facet counts are exact (every match is a
  candidate); beyond, `total_capped` says the total is « more than `COUNT_CAP` » and
  `facets_sampled` that the counts come from the `COUNT_CAP` most recent matches. A facet with a
  selection is counted over the other selections only (its own choices do not hide its other
  values), from its own bounded sample;
- only the candidates are ranked (`ts_rank`: title before commune before text, or the trigram
  similarity), and the page of hits is read from them. Pages stop at `COUNT_CAP` hits anyway
  (`search.forms.MAX_PAGE`).

Every query, the candidates' and the hits', filters on the reader's access keys: a document the
reader may not read is never a candidate, a count, a hit or a highlight.
"""

from collections import Counter

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db.models import CharField, ExpressionWrapper, F, Func, IntegerField, Value
from django.db.models.expressions import RawSQL

from search.backends.base import (
    COUNT_CAP,
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

#: most recent title matches added to the ranked candidates when the words match more than
#: `COUNT_CAP` documents (a word in an old document's title still ranks it first)
TITLE_CANDIDATES = 500
#: what a candidate row holds: its id, then the facet columns
CANDIDATE_COLUMNS = ("pk", *FACETS.values())
#: facet values shown per facet
FACET_VALUES = 50
RECENT, TITLE = 0, 1


def _most_recent(queryset, limit: int, source: int):
    return (
        queryset.annotate(source=Value(source, output_field=IntegerField()))
        .order_by(F("date").desc(nulls_last=True), "pk")
        .values_list(*CANDIDATE_COLUMNS, "source")[:limit]
    )


def _count(rows, names: list[str]) -> dict[str, list[tuple[str, int]]]:
    """{facet: [(value, count)]} over candidate rows, most frequent first."""
    positions = {field: index for index, field in enumerate(CANDIDATE_COLUMNS)}
    facets = {}
    for name in names:
        position = positions[FACETS[name]]
        if FACETS[name] == "tags":
            counter = Counter(tag for row in rows for tag in row[position] or ())
        else:
            counter = Counter(row[position] for row in rows)
        counts = [
            (str(value), count) for value, count in counter.items() if value not in ("", None)
        ]
        counts.sort(key=lambda item: (-item[1], item[0]))
        facets[name] = counts[:FACET_VALUES]
    return facets


class PostgresBackend(SearchBackend):
    name = "postgres"
    #: matches counted (and ranked) before the answer says « more than … »
    count_cap = COUNT_CAP
    title_candidates = TITLE_CANDIDATES

    def _candidates(self, text: str, keys: set[str], filters: dict[str, list[str]]):
        """(readable matching documents, tsquery or None, rank expression or None, rows).

        `rows`: the candidate rows (see `_most_recent`) under the filters. Words are matched
        with full-text search; only when nothing readable matches them (filters aside) does the
        search fall back to trigram similarity (typos), which costs more per row. The candidate
        query itself tells: an `EXISTS` would let the planner scan the whole table for a word
        it believes common but that matches nothing (`bench/search-report.md`).
        """
        readable = SearchDocument.objects.readable_by_keys(keys)
        text = text.strip()
        if not text:
            return readable, None, None, self._rows(readable, filters)
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        words = readable.filter(search_vector=query)
        rows = self._rows(words, filters, query=query, keys=keys)
        # (`LIMIT 1` would again invite the planner to walk the date index for such a word.)
        if any(row[-1] == RECENT for row in rows) or (
            filters and list(_most_recent(words, self.count_cap + 1, RECENT))
        ):
            return words, query, SearchRank(F("search_vector"), query), rows
        normalized = normalize(text)
        similar = readable.filter(names__trigram_word_similar=normalized)
        rank = TrigramWordSimilarity(Value(normalized), "names")
        return similar, None, rank, self._rows(similar, filters)

    def _rows(self, matching, filters, *, query=None, keys=None) -> list[tuple]:
        """One query: the most recent matches (with their facet columns), and with words, the
        most recent title matches, which only join the candidates to be ranked."""
        candidates = _most_recent(self._filtered(matching, filters), self.count_cap + 1, RECENT)
        if query is not None:
            titles = self._title_matches(query, keys, filters)
            candidates = candidates.union(
                _most_recent(titles, self.title_candidates, TITLE), all=True
            )
        return list(candidates)

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

    def _title_matches(self, query, keys: set[str], filters: dict[str, list[str]]):
        """Readable documents whose title matches, found with the title's own GIN index.

        The title is part of `search_vector`: this match alone is enough. Access is checked on
        the title matches' rows, not with the access-key index: readers' keys (forum, directory,
        public pages, their territories) cover a large share of the documents, and intersecting
        that index's long posting lists costs more than reading the few title matches
        (`bench/search-report.md`).
        """
        row_keys = ExpressionWrapper(
            Func(F("access_keys"), template="(%(expressions)s || '{}'::varchar[])"),
            output_field=ArrayField(CharField()),
        )
        documents = (
            SearchDocument.objects.alive()
            .alias(row_keys=row_keys, title_vector=SearchVector("title", config=CONFIG))
            .filter(row_keys__overlap=sorted(keys), title_vector=query)
        )
        return self._filtered(documents, filters)

    def search(self, request: SearchRequest, keys: set[str]) -> Results:
        selected = request.active_filters()
        matching, query, rank, rows = self._candidates(request.text, keys, selected)
        cap = self.count_cap
        recent = [row for row in rows if row[-1] == RECENT]
        total_capped = len(recent) > cap
        recent = recent[:cap]
        facets = _count(recent, [name for name in FACETS if name not in selected])
        facets_sampled = total_capped
        for name in selected:
            others = list(
                _most_recent(
                    self._filtered(matching, request.active_filters(without=name)),
                    cap + 1,
                    RECENT,
                )
            )
            facets_sampled = facets_sampled or len(others) > cap
            facets.update(_count(others[:cap], [name]))
        candidate_ids = {row[0] for row in recent}
        if total_capped:  # otherwise every match is a candidate, the title ones among them
            candidate_ids.update(row[0] for row in rows if row[-1] == TITLE)
        hits = self._hits(request, keys, candidate_ids, query, rank)
        return Results(
            hits=hits,
            total=len(recent),
            facets=facets,
            backend=self.name,
            total_capped=total_capped,
            facets_sampled=facets_sampled,
        )

    @staticmethod
    def _hits(request: SearchRequest, keys: set[str], ids: set[int], query, rank) -> list[Hit]:
        """The requested page of the candidates, ranked; snippets for that page only."""
        if not ids:
            return []
        # The access filter again: the candidates were readable a moment ago, the hits must be.
        queryset = SearchDocument.objects.readable_by_keys(keys).filter(
            pk__in=RawSQL("SELECT unnest(%s::integer[])", [sorted(ids)])
        )
        if query is not None:
            # Title candidates matched the title alone: `-word` may exclude them.
            queryset = queryset.filter(search_vector=query)
        date_order = F("date").desc(nulls_last=True)
        if rank is not None:
            queryset = queryset.annotate(rank=rank).order_by("-rank", date_order, "pk")
        else:
            queryset = queryset.order_by(date_order, "pk")
        if query is not None:
            queryset = queryset.annotate(
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
                )
            )
        rows = queryset.defer("search_vector", "names")[
            request.offset : request.offset + request.per_page
        ]
        return [
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
