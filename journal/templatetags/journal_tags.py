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


@register.simple_tag(takes_context=True)
def action_journals(context, actions):
    """The latest messages of each action's journal that the reader may read, by action id
    (the actions block of a site page: « see it on both site pages »), in one query."""
    from journal.views import latest_by_action

    return latest_by_action(context["request"].user, actions)


@register.filter
def entries_of(journals, action):
    """`journals|entries_of:action`: that action's latest messages from `action_journals`."""
    return journals.get(action.pk, []) if journals else []
