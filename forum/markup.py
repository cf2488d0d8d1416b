"""Rendering of forum messages: Markdown (markdown2, raw HTML escaped), then sanitised by nh3.

Set as MACHINA_MARKUP_LANGUAGE; machina stores the result beside the source text, so changing
these rules only affects messages saved afterwards.
"""

import markdown2
import nh3

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre",
    "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render(text, **kwargs):
    html = markdown2.markdown(text or "", **kwargs)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
