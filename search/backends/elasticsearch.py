"""Elasticsearch 8 backend (elasticsearch-dsl).

The index holds a copy of `SearchDocument` rows (see `search.replication`). Mapping: a French
analyzer (elision, lower case, ASCII folding, light French stemmer) on title, commune and text;
an edge n-gram subfield `title.suggest` for the autocomplete; keyword fields for facets and
`access_keys`.

Access: the `terms` filter on `access_keys` sits *inside* the query's `bool.filter`, so hits,
aggregations (facet counts), highlights and suggestions only ever see readable documents. Facet
selections go to `post_filter` with per-facet `filter` aggregations (disjunctive facets); access
is never a post-filter.

When the cluster is unreachable, `search` and `suggest` answer from PostgreSQL (`fallback=True`).

Index lifecycle: the application reads and writes through the alias `<prefix>-documents`; the
physical index behind it is `<prefix>-documents-<UTC timestamp>` and carries `MAPPING_VERSION`
and a fingerprint of the mapping in its `_meta`. A rebuild (`search.replication.rebuild_index`)
fills a new physical index, then swaps the alias in one `update_aliases` request, so searches
never see a partial index. An older deployment's plain index named like the alias keeps
working until the next rebuild replaces it by an alias (`remove_index` in the same request).
"""

import dataclasses
import datetime
import hashlib
import json
import logging
import re
from dataclasses import dataclass
from functools import cache

from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch_dsl import (
    Date,
    Document,
    Integer,
    Keyword,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch_dsl import Q as ESQ

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
from search.indexing import search_settings

logger = logging.getLogger(__name__)

UNAVAILABLE = (TransportError, ApiError, ConnectionError, OSError)

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stemmer = token_filter("french_light_stemmer", type="stemmer", language="light_french")
edge_ngram = token_filter("autocomplete_edge", type="edge_ngram", min_gram=2, max_gram=20)

french = analyzer(
    "french_folded",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding", french_stemmer],
)
autocomplete = analyzer(
    "autocomplete", tokenizer="standard", filter=["lowercase", "asciifolding", edge_ngram]
)
autocomplete_search = analyzer(
    "autocomplete_search", tokenizer="standard", filter=["lowercase", "asciifolding"]
)


class SearchDocumentIndex(Document):
    doc_type = Keyword()
    title = Text(
        analyzer=french,
        fields={
            "suggest": Text(analyzer=autocomplete, search_analyzer=autocomplete_search),
            "raw": Keyword(),
        },
    )
    text = Text(analyzer=french)
    commune_name = Text(analyzer=french, fields={"raw": Keyword()})
    commune_code = Keyword()
    department_code = Keyword()
    region_code = Keyword()
    date = Date()
    year = Integer()
    status = Keyword()
    tags = Keyword()
    access_keys = Keyword()
    url = Keyword(index=False)

    class Index:
        name = "resorption-documents"  # replaced by index_name() at run time


#: Bump when the mapping or the analysis of `SearchDocumentIndex` changes: `rebuild_search_index
#: --check` then reports the live index as stale until `rebuild_search_index` has run.
MAPPING_VERSION = 1

#: Physical indices are named `<alias>-<UTC timestamp>`; the application only knows the alias.
PHYSICAL_SUFFIX = re.compile(r"-\d{20}$")


def index_name() -> str:
    """The alias every read and write goes through (a plain index on older deployments)."""
    return f"{search_settings()['INDEX_PREFIX']}-documents"


alias_name = index_name


@cache
def _client(url: str, timeout: float) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False)


def client() -> Elasticsearch:
    config = search_settings()
    return _client(config["ELASTICSEARCH_URL"], float(config["TIMEOUT"]))


def _definition() -> dict:
    return SearchDocumentIndex._index.clone(name=index_name()).to_dict()


def mapping_fingerprint() -> str:
    """A digest of the settings and mapping in code, to catch a change without a version bump."""
    encoded = json.dumps(_definition(), sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def new_index_name() -> str:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{index_name()}-{stamp}"


def is_physical_index(name: str) -> bool:
    alias = index_name()
    return name.startswith(f"{alias}-") and bool(PHYSICAL_SUFFIX.fullmatch(name[len(alias) :]))


def create_physical_index(*, with_alias: bool = False) -> str:
    """A new, empty index with the mapping in code (and its version in `_meta`); its name."""
    name = new_index_name()
    body = _definition()
    body.setdefault("mappings", {})["_meta"] = {
        "mapping_version": MAPPING_VERSION,
        "fingerprint": mapping_fingerprint(),
    }
    if with_alias:
        body["aliases"] = {index_name(): {}}
    client().indices.create(index=name, **body)
    return name


@dataclass
class IndexState:
    """What the index name resolves to on the cluster."""

    alias: str
    #: physical indices behind the alias (or the plain legacy index itself)
    indices: list[str] = dataclasses.field(default_factory=list)
    #: an index (not an alias) carries the alias name: an older deployment
    legacy: bool = False
    versions: dict[str, int | None] = dataclasses.field(default_factory=dict)
    fingerprints: dict[str, str | None] = dataclasses.field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return bool(self.indices)

    def problems(self) -> list[str]:
        if not self.exists:
            return [f"no index behind {self.alias!r}"]
        if self.legacy:
            return [f"{self.alias!r} is a plain index (older deployment), not an alias"]
        problems = []
        if len(self.indices) > 1:
            problems.append(f"{self.alias!r} points to several indices: {', '.join(self.indices)}")
        for name in self.indices:
            version = self.versions.get(name)
            if version != MAPPING_VERSION:
                problems.append(
                    f"{name} has mapping version {version}, the code expects {MAPPING_VERSION}"
                )
            elif self.fingerprints.get(name) != mapping_fingerprint():
                problems.append(
                    f"{name} was created from another mapping than the code's, "
                    "with the same version: bump MAPPING_VERSION"
                )
        return problems

    @property
    def current(self) -> bool:
        return not self.problems()


def index_state() -> IndexState:
    es = client()
    alias = index_name()
    state = IndexState(alias=alias)
    found = es.options(ignore_status=[404]).indices.get_alias(name=alias).body
    if found and "error" not in found and "status" not in found:
        state.indices = sorted(found)
    elif es.indices.exists(index=alias):
        state.indices, state.legacy = [alias], True
    if state.indices:
        mappings = es.indices.get_mapping(index=",".join(state.indices)).body
        for name in state.indices:
            meta = mappings.get(name, {}).get("mappings", {}).get("_meta") or {}
            state.versions[name] = meta.get("mapping_version")
            state.fingerprints[name] = meta.get("fingerprint")
    return state


def orphan_indices(state: IndexState) -> list[str]:
    """Physical indices of this alias that it does not point to (a rebuild that stopped)."""
    names = client().indices.get(index=f"{state.alias}-*", allow_no_indices=True).body
    return sorted(name for name in names if is_physical_index(name) and name not in state.indices)


def ensure_index(*, recreate: bool = False) -> None:
    """Make sure the alias resolves to an index; `recreate` starts from an empty one.

    A legacy plain index keeps serving reads and writes under the same name until
    `rebuild_search_index` (or `search_push`) turns it into an alias.
    """
    es = client()
    if recreate:
        delete_indices()
    elif es.indices.exists(index=index_name()):
        return
    mine = create_physical_index(with_alias=True)
    # Two processes may have bootstrapped at once: the oldest index wins, the others go.
    behind = sorted(es.indices.get_alias(name=index_name()).body)
    if len(behind) > 1 and mine != behind[0]:
        es.options(ignore_status=[404]).indices.delete(index=mine)


def swap_alias(new: str, state: IndexState) -> None:
    """Point the alias at `new` alone, in one atomic `update_aliases` request."""
    alias = state.alias
    actions = [{"add": {"index": new, "alias": alias}}]
    if state.legacy:
        actions.append({"remove_index": {"index": alias}})
    else:
        actions += [
            {"remove": {"index": name, "alias": alias}} for name in state.indices if name != new
        ]
    client().indices.update_aliases(actions=actions)


def delete_previous(new: str, state: IndexState) -> list[str]:
    """After a swap: delete the indices the alias left, and those of interrupted rebuilds."""
    es = client()
    previous = [] if state.legacy else [name for name in state.indices if name != new]
    deleted = []
    for name in previous + [name for name in orphan_indices(state) if name != new]:
        try:
            es.options(ignore_status=[404]).indices.delete(index=name)
            deleted.append(name)
        except UNAVAILABLE as error:  # the next rebuild deletes the orphan
            logger.warning("Could not delete the previous search index %s: %s", name, error)
    return deleted


def delete_indices() -> None:
    """Delete every index of this alias (tests, benchmark): the alias goes with them."""
    es = client()
    state = index_state()
    names = set(orphan_indices(state)) | set(state.indices)
    for name in sorted(names):
        es.options(ignore_status=[404]).indices.delete(index=name)


def document_body(row) -> dict:
    """The Elasticsearch source of one SearchDocument row."""
    return {
        "doc_type": row.doc_type,
        "title": row.title,
        "text": row.text,
        "commune_name": row.commune_name,
        "commune_code": row.commune_code,
        "department_code": row.department_code,
        "region_code": row.region_code,
        "date": row.date.isoformat() if row.date else None,
        "year": row.year,
        "status": row.status,
        "tags": list(row.tags),
        "access_keys": list(row.access_keys),
        "url": row.url,
    }


def _filter_clause(name: str, values: list[str]):
    field = FACETS[name]
    if field == "year":
        values = [int(value) for value in values if value.isdigit()]
    return ESQ("terms", **{field: values})


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def _search(self):
        return SearchDocumentIndex.search(using=client(), index=index_name())

    def _query(self, text: str, keys: set[str]):
        access = ESQ("terms", access_keys=sorted(keys))
        text = text.strip()
        if not text:
            return ESQ("bool", filter=[access])
        words = ESQ(
            "multi_match",
            query=text,
            fields=["title^3", "commune_name^2", "text"],
            type="best_fields",
            operator="and",
        )
        typo_title = ESQ("match", title={"query": text, "fuzziness": "AUTO", "boost": 0.5})
        typo_commune = ESQ("match", commune_name={"query": text, "fuzziness": "AUTO", "boost": 0.5})
        return ESQ(
            "bool",
            should=[words, typo_title, typo_commune],
            minimum_should_match=1,
            filter=[access],
        )

    def search(self, request: SearchRequest, keys: set[str]) -> Results:
        try:
            return self._search_es(request, keys)
        except UNAVAILABLE as error:
            logger.warning("Elasticsearch unavailable, searching PostgreSQL: %s", error)
            from search.backends.postgres import PostgresBackend

            results = PostgresBackend().search(request, keys)
            results.fallback = True
            return results

    def _search_es(self, request: SearchRequest, keys: set[str]) -> Results:
        if not keys:
            return Results(
                hits=[], total=0, facets={name: [] for name in FACETS}, backend=self.name
            )
        search = self._search().query(self._query(request.text, keys))
        selected = request.active_filters()
        if selected:
            search = search.post_filter(
                ESQ("bool", filter=[_filter_clause(n, v) for n, v in selected.items()])
            )
        for name, field in FACETS.items():
            others = [_filter_clause(n, v) for n, v in request.active_filters(without=name).items()]
            search.aggs.bucket(f"facet_{name}", "filter", filter=ESQ("bool", filter=others)).bucket(
                "values", "terms", field=field, size=50
            )
        if request.text.strip():
            search = search.highlight(
                "text",
                "title",
                pre_tags=[START],
                post_tags=[STOP],
                fragment_size=150,
                number_of_fragments=2,
            )
        else:
            search = search.sort({"date": {"order": "desc", "missing": "_last"}})
        search = search.extra(track_total_hits=True)[
            request.offset : request.offset + request.per_page
        ]
        response = search.execute()
        hits = []
        for hit in response:
            source = hit.to_dict()
            fragments = []
            highlight = getattr(hit.meta, "highlight", None)
            if highlight is not None and "text" in highlight:
                fragments = list(highlight["text"])
            snippet = (
                marked_snippet(" … ".join(fragments))
                if fragments
                else plain_snippet(source.get("text", ""))
            )
            hits.append(
                Hit(
                    ref=hit.meta.id,
                    doc_type=source.get("doc_type", ""),
                    title=source.get("title", ""),
                    url=source.get("url", ""),
                    snippet=snippet,
                    date=_date(source.get("date")),
                    department_code=source.get("department_code") or "",
                    commune_name=source.get("commune_name") or "",
                    status=source.get("status") or "",
                    tags=list(source.get("tags") or []),
                    score=float(hit.meta.score or 0.0),
                )
            )
        aggregations = response.aggregations.to_dict() if "aggregations" in response else {}
        facets = {
            name: [
                (str(bucket["key"]), bucket["doc_count"])
                for bucket in aggregations.get(f"facet_{name}", {})
                .get("values", {})
                .get("buckets", [])
                if bucket["doc_count"] and str(bucket["key"])
            ]
            for name in FACETS
        }
        return Results(hits=hits, total=response.hits.total.value, facets=facets, backend=self.name)

    def suggest(self, text: str, keys: set[str], *, limit: int = 8) -> list[dict]:
        try:
            return self._suggest_es(text, keys, limit=limit)
        except UNAVAILABLE as error:
            logger.warning("Elasticsearch unavailable, suggesting from PostgreSQL: %s", error)
            from search.backends.postgres import PostgresBackend

            return PostgresBackend().suggest(text, keys, limit=limit)

    def _suggest_es(self, text: str, keys: set[str], *, limit: int) -> list[dict]:
        text = text.strip()
        if len(text) < 2 or not keys:
            return []
        query = ESQ(
            "bool",
            should=[
                ESQ("match", **{"title.suggest": {"query": text, "operator": "and"}}),
                ESQ("match", title={"query": text, "fuzziness": "AUTO"}),
                ESQ("match", commune_name={"query": text, "fuzziness": "AUTO"}),
            ],
            minimum_should_match=1,
            filter=[ESQ("terms", access_keys=sorted(keys))],
        )
        response = (
            self._search().query(query).source(["title", "url", "doc_type"])[:limit].execute()
        )
        return [{"title": hit.title, "url": hit.url, "type": hit.doc_type} for hit in response]


def _date(value):
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])
