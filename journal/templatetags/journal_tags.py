from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def site_journal(context, site):
    """Put the site page's journal block data into the template context."""
    from journal.views import include_context

    context.update(include_context(context["request"], site))
    return ""


@register.simple_tag
def can_moderate_journals(user) -> bool:
    """For the header: show the link to the moderation queue to moderators only."""
    from journal.perms import can_use_moderation_queue

    return can_use_moderation_queue(user)
