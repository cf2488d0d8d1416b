"""What the journal needs to know about the thing whose journal it is — its *target*: a site
(`sitepages.SitePage`) or a resorption action (`actions.Action`). An entry has exactly one
(`Entry.site` or `Entry.action`, a database constraint).

The journal sits above both apps in the layers, so it reads them directly; the rules of who may
read or post are in `journal.perms`, one branch per target. The territory of a target — where
audiences, moderation, notifications and exports look — is the site's commune or the action's
department.
"""

from django.urls import reverse

from actions.models import Action

SITE = "site"
ACTION = "action"


def kind(target) -> str:
    """`"site"` or `"action"`: also the name of the entry's foreign key."""
    return ACTION if isinstance(target, Action) else SITE


def is_action(target) -> bool:
    return isinstance(target, Action)


def department(target):
    """The department of the target (the action's, the site's commune's)."""
    return target.department if is_action(target) else target.commune.department


def place(target):
    """Where the target is, for `directory.perms.can`: the site's commune, the action's
    department."""
    return target.department if is_action(target) else target.commune


def title(target) -> str:
    return target.name if is_action(target) else target.title


def url(target) -> str:
    """The target's own page (the site page, the action's detail page)."""
    return target.get_absolute_url() if is_action(target) else target.url


def stream_url(target) -> str:
    return reverse(f"journal:{kind(target)}", args=[target.pk])


def post_url(target) -> str:
    return reverse("journal:post_action" if is_action(target) else "journal:post", args=[target.pk])


def audience_users_url(target) -> str:
    name = "audience_users_action" if is_action(target) else "audience_users"
    return reverse(f"journal:{name}", args=[target.pk])
