"""Who may do what on a site: compositions of `directory.perms` (the matrix and the territories)
that the screens and the API share. A site the user may not read is never revealed; these rules
say what they may do with one they read."""

from directory import perms
from directory.permission_matrix import Feature
from sitepages import field_groups, validation
from sitepages.models import SiteFollow


def can_edit_site(user, site) -> bool:
    """Open sites: `site.update`. Closed sites are read-only, except for those entitled to close
    (who may correct them)."""
    if site.is_closed:
        return perms.can(user, Feature.SITE_CLOSE, site)
    return perms.can(user, Feature.SITE_UPDATE, site)


def can_record_visit(user, site) -> bool:
    """ "Visited, nothing changed": open sites, for who may update them."""
    return not site.is_closed and perms.can(user, Feature.SITE_UPDATE, site)


def can_close_site(user, site) -> bool:
    return perms.can(user, Feature.SITE_CLOSE, site)


def can_delete_site(user, site) -> bool:
    """Deleting a site declared by mistake: open sites only."""
    return not site.is_closed and perms.can(user, Feature.SITE_DELETE, site)


def site_actions(user, site) -> dict:
    """The links and buttons of the site page."""
    return {
        "can_edit": can_edit_site(user, site),
        "can_visit": can_record_visit(user, site),
        "can_close": can_close_site(user, site),
        "can_see_history": perms.can(user, Feature.SITE_READ, site),
        "can_print_sheet": perms.can(user, Feature.SITE_READ, site),
        "can_see_attachments": perms.can(user, Feature.SITE_JUSTICE, site),
        "following": SiteFollow.objects.filter(user=user, site=site).exists(),
        "can_delete": can_delete_site(user, site),
    }


def drop_hidden_answers(site, user) -> None:
    """At creation the rights depend on the chosen commune: clear the sensitive answers (justice,
    owners) given for a commune where the user may not see them."""
    if not perms.can(user, Feature.SITE_JUSTICE, site):
        for name in field_groups.JUSTICE_FIELDS:
            setattr(site, name, validation.empty_value(site, name))
    if not perms.can(user, Feature.SITE_OWNERS, site):
        site.owners = []
