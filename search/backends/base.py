"""The interface both backends implement, and the plain objects they return."""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: facet name → SearchDocument field
FACETS = {
    "type": "doc_type",
    "department": "department_code",
    "status": "status",
    "tags": "tags",
    "year": "year",
}
SNIPPET_LENGTH = 240
#: a backend may stop counting past this many matches (`Results.total_capped`)
COUNT_CAP = 1000
#: markers a backend puts around matched words before the snippet is escaped
START, STOP = "\x02", "\x03"


@dataclass
class SearchRequest:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def active_filters(self, *, without: str | None = None) -> dict[str, list[str]]:
        return {
            name: values
            for name, values in self.filters.items()
            if values and name in FACETS and name != without
        }


@dataclass
class Hit:
    ref: str
    doc_type: str
    title: str
    url: str
    snippet: SafeString
    date: datetime.date | None = None
    department_code: str = ""
    commune_name: str = ""
    status: str = ""
    tags: list[str] = field(default_factory=list)
    score: float = 0.0


@dataclass
class Results:
    hits: list[Hit]
    total: int
    #: facet name → [(value, count)], most frequent first
    facets: dict[str, list[tuple[str, int]]]
    backend: str
    #: True when Elasticsearch was unreachable and PostgreSQL answered instead
    fallback: bool = False
    #: True when more documents match than were counted: `total` is then a lower bound
    #: (the page says « more than … results »)
    total_capped: bool = False
    #: True when some facet counts come from a bounded sample of the most recent matches, not
    #: from every match (the page says so); they still count readable documents only
    facets_sampled: bool = False


def marked_snippet(text: str) -> SafeString:
    """Escape a backend's snippet, then turn its markers into <mark> elements."""
    escaped = escape(text or "")
    escaped = escaped.replace(START, "<mark>").replace(STOP, "</mark>")
    # Unbalanced markers (a snippet cut inside a match) must not leave an open element.
    if escaped.count("<mark>") != escaped.count("</mark>"):
        escaped = re.sub(r"</?mark>", "", escaped)
    return mark_safe(escaped)  # noqa: S308 - escaped above


def plain_snippet(text: str) -> SafeString:
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) > SNIPPET_LENGTH:
        text = text[:SNIPPET_LENGTH].rsplit(" ", 1)[0] + " …"
    return marked_snippet(text)


class SearchBackend:
    name = ""

    def search(self, request: SearchRequest, keys: set[str]) -> Results:
        raise NotImplementedError

    def suggest(self, text: str, keys: set[str], *, limit: int = 8) -> list[dict]:
        """Titles for the autocomplete: [{"title", "url", "type"}]."""
        raise NotImplementedError
