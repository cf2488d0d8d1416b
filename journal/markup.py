"""Journal text: the author writes light Markdown (paragraphs, lists, links, bold); raw HTML is
escaped, then nh3 keeps only those elements. The sanitised HTML is stored on save and cleaned
again when shown (`Entry.html`), so a row written by other means cannot inject markup either."""

import markdown2
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"a", "b", "br", "li", "ol", "p", "strong", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


def render(text: str) -> str:
    """Markdown source → sanitised HTML (a string to store)."""
    return clean(markdown2.markdown(text or "", safe_mode="escape"))


def safe(html: str) -> SafeString:
    """Stored HTML → markup safe to output (sanitised once more)."""
    return mark_safe(clean(html))  # noqa: S308 - nh3 output
