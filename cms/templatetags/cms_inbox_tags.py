from django import template

from cms import inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_unhandled_count(context) -> int | None:
    """For the header: the number of messages and reports waiting for the user (one query per
    request), or None when the user has no inbox."""
    request = context.get("request")
    counts = inbox.unhandled_counts_for_request(request) if request is not None else None
    return None if counts is None else sum(counts.values())
