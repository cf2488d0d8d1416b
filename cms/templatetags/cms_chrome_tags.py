from django import template

from cms.chrome import chrome_for

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """{% site_chrome as chrome %}: the main menu and footer links (cms/chrome.py)."""
    return chrome_for(context.get("request"))
