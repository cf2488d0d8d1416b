"""The role matrix: what each role may do by default, and where.

This is data, not code: admins read it as a table (`/annuaire/roles/`) and the test suite checks
every cell. Scopes: NONE (denied), LOCAL (within the user's intervention
areas) and NATIONAL (everywhere). Read-like features widen a commune or EPCI area to its whole
department; write-like features do not (docs/permissions.md#read-widening-to-the-department).

Resolution order for one user (directory.perms.scope_for):
user exception > user option > organisation exception > role default.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.enums import Role, UserOption


class Scope(models.TextChoices):
    NONE = "none", _("denied")
    LOCAL = "local", _("local")
    NATIONAL = "national", _("national")


class Feature(models.TextChoices):
    SITE_LIST = "site.list", _("List sites")
    SITE_READ = "site.read", _("Read a site")
    SITE_CREATE = "site.create", _("Declare a site")
    SITE_UPDATE = "site.update", _("Update a site")
    SITE_CLOSE = "site.close", _("Close a site")
    SITE_EXPORT = "site.export", _("Export sites")
    SITE_DELETE = "site.delete", _("Delete a site")
    SITE_OWNERS = "site.access_owners", _("See site owners")
    SITE_JUSTICE = "site.access_justice", _("See justice procedures")
    JOURNAL_LIST = "journal.list", _("Read site journals")
    JOURNAL_LIST_PRIVATE = "journal.list_private", _("Read private journal messages")
    JOURNAL_CREATE = "journal.create", _("Post in site journals")
    JOURNAL_CREATE_PRIVATE = "journal.create_private", _("Post private journal messages")
    JOURNAL_MODERATE = "journal.moderate", _("Moderate journals")
    JOURNAL_EXPORT = "journal.export", _("Export journals")
    ACTION_LIST = "action.list", _("List actions")
    ACTION_READ = "action.read", _("Read an action")
    ACTION_CREATE = "action.create", _("Create an action")
    ACTION_UPDATE = "action.update", _("Update an action")
    ACTION_EXPORT = "action.export", _("Export actions")
    ACTION_FINANCES = "action.access_finances", _("See action finances")
    USER_LIST = "user.list", _("Browse the directory")
    USER_READ = "user.read", _("Read a profile")
    USER_CREATE = "user.create", _("Create accounts and approve access requests")
    USER_ACTIVATE = "user.activate", _("Reactivate accounts")
    USER_DEACTIVATE = "user.deactivate", _("Deactivate accounts")
    USER_EXPORT = "user.export", _("Export users")
    STATS_READ = "stats.read", _("Read dashboards and statistics")


#: Features that only read: a commune or EPCI area widens to its department for them.
READ_FEATURES = frozenset(
    {
        Feature.SITE_LIST,
        Feature.SITE_READ,
        Feature.SITE_EXPORT,
        Feature.SITE_OWNERS,
        Feature.SITE_JUSTICE,
        Feature.JOURNAL_LIST,
        Feature.JOURNAL_LIST_PRIVATE,
        Feature.JOURNAL_EXPORT,
        Feature.ACTION_LIST,
        Feature.ACTION_READ,
        Feature.ACTION_EXPORT,
        Feature.ACTION_FINANCES,
        Feature.USER_LIST,
        Feature.USER_READ,
        Feature.USER_EXPORT,
        Feature.STATS_READ,
    }
)

N, L, X = Scope.NATIONAL, Scope.LOCAL, Scope.NONE

# Columns, in order (one letter per role below):
ROLE_ORDER = [
    Role.NATIONAL_ADMIN,
    Role.LOCAL_ADMIN,
    Role.CORRESPONDANT,
    Role.ACTEUR_NATIONAL,
    Role.PARTENAIRE_INSTITUTIONNEL,
    Role.OPERATEUR,
    Role.INTERVENANT,
    Role.OBSERVATEUR_EXTERNE,
]

# fmt: off
_ROWS = {
    #                               nat.adm loc.adm corr.  act.nat part.  opér.  interv. observ.
    Feature.SITE_LIST:              (N,     L,      N,     N,      L,     L,     L,      L),
    Feature.SITE_READ:              (N,     L,      N,     N,      L,     L,     L,      L),
    Feature.SITE_CREATE:            (N,     L,      L,     X,      X,     X,     X,      X),
    Feature.SITE_UPDATE:            (N,     L,      L,     X,      L,     L,     X,      X),
    Feature.SITE_CLOSE:             (N,     L,      L,     X,      X,     X,     X,      X),
    Feature.SITE_EXPORT:            (N,     L,      N,     N,      L,     L,     X,      X),
    Feature.SITE_DELETE:            (N,     L,      X,     X,      X,     X,     X,      X),
    Feature.SITE_OWNERS:            (N,     L,      N,     N,      L,     X,     X,      X),
    Feature.SITE_JUSTICE:           (N,     L,      N,     N,      X,     X,     X,      X),
    Feature.JOURNAL_LIST:           (N,     L,      N,     N,      L,     L,     L,      L),
    Feature.JOURNAL_LIST_PRIVATE:   (N,     L,      L,     X,      X,     X,     X,      X),
    Feature.JOURNAL_CREATE:         (N,     L,      L,     N,      L,     L,     L,      X),
    Feature.JOURNAL_CREATE_PRIVATE: (N,     L,      L,     X,      L,     L,     X,      X),
    Feature.JOURNAL_MODERATE:       (N,     L,      X,     X,      X,     X,     X,      X),
    Feature.JOURNAL_EXPORT:         (N,     L,      L,     X,      X,     X,     X,      X),
    Feature.ACTION_LIST:            (N,     L,      N,     N,      L,     L,     L,      L),
    Feature.ACTION_READ:            (N,     L,      N,     N,      L,     L,     L,      L),
    Feature.ACTION_CREATE:          (N,     L,      L,     X,      L,     L,     X,      X),
    Feature.ACTION_UPDATE:          (N,     L,      L,     X,      L,     L,     X,      X),
    Feature.ACTION_EXPORT:          (N,     L,      L,     N,      L,     X,     X,      X),
    Feature.ACTION_FINANCES:        (N,     L,      L,     N,      X,     L,     X,      X),
    Feature.USER_LIST:              (N,     N,      N,     N,      N,     N,     N,      N),
    Feature.USER_READ:              (N,     N,      N,     N,      N,     N,     N,      N),
    Feature.USER_CREATE:            (N,     L,      X,     X,      X,     X,     X,      X),
    Feature.USER_ACTIVATE:          (N,     L,      X,     X,      X,     X,     X,      X),
    Feature.USER_DEACTIVATE:        (N,     L,      X,     X,      X,     X,     X,      X),
    Feature.USER_EXPORT:            (N,     L,      X,     X,      X,     X,     X,      X),
    Feature.STATS_READ:             (N,     L,      N,     N,      L,     L,     L,      L),
}
# fmt: on

#: role -> feature -> scope
ROLE_DEFAULTS: dict[str, dict[str, Scope]] = {
    role: {feature: row[index] for feature, row in _ROWS.items()}
    for index, role in enumerate(ROLE_ORDER)
}

#: What each user option grants (only ever widens: never narrower than the role default).
OPTION_GRANTS: dict[str, tuple[Feature, Scope]] = {
    UserOption.JUSTICE_ACCESS: (Feature.SITE_JUSTICE, Scope.LOCAL),
    UserOption.CLOSE_SITE: (Feature.SITE_CLOSE, Scope.LOCAL),
    UserOption.CREATE_SITE: (Feature.SITE_CREATE, Scope.LOCAL),
}

SCOPE_RANK = {Scope.NONE: 0, Scope.LOCAL: 1, Scope.NATIONAL: 2}
