"""Access keys: which readers may see which search document.

Each document carries a few keys; each reader holds a set of keys; a reader sees a document when
the two share a key. Both backends filter on that intersection inside the query (GIN `&&` in
PostgreSQL, a `terms` filter in Elasticsearch), so hits, facet counts, highlights and suggestions
are all computed over readable documents only.

The keys are derived from `directory.perms`, the only place rules live: for sites, the key
intersection equals `perms.can(user, Feature.SITE_READ, site)` (tested as a table in
`tests/search/test_access_keys.py`).
"""

from directory import perms
from directory.enums import TerritoryLevel
from directory.permission_matrix import READ_FEATURES, Feature, Scope
from forum import perms as forum_perms
from journal import access as journal_access
from journal.enums import Audience, EntryState

PUBLIC = "public"
DIRECTORY = "directory"
FORUM_MEMBER = "forum:member"
FORUM_MODERATOR = "forum:moderator"
SITE_PREFIX = "site"
ACTION_PREFIX = "action"


def territorial_keys(prefix: str, location: perms.Location) -> list[str]:
    """The keys of a document placed at `location`, read under a territorial feature.

    Each key names one kind of area that covers the location: the nation, its region(s), its
    department(s), its EPCI, its commune. A reader holds the keys of their own areas.
    """
    keys = [f"{prefix}:national"]
    keys += [f"{prefix}:region:{code}" for code in sorted(location.regions)]
    keys += [f"{prefix}:dept:{code}" for code in sorted(location.departments)]
    if location.level in (TerritoryLevel.EPCI, TerritoryLevel.COMMUNE) and location.epci:
        keys.append(f"{prefix}:epci:{location.epci}")
    if location.level == TerritoryLevel.COMMUNE and location.commune:
        keys.append(f"{prefix}:commune:{location.commune}")
    return keys


def reader_territorial_keys(user, feature: str, prefix: str) -> set[str]:
    """The keys `user` holds for `feature`: mirrors `perms.can` / `perms.Areas.covers`.

    A local scope holds one key per intervention area; read features widen commune and EPCI
    areas to their departments, as `perms.Areas.covers(read=True)` does. A document placed in a
    commune carries the keys of its region, department, EPCI and commune, so the intersection is
    non-empty exactly when one of the reader's areas covers it.
    """
    scope = perms.scope_for(user, feature)
    if scope == Scope.NONE:
        return set()
    if scope == Scope.NATIONAL:
        return {f"{prefix}:national"}
    areas = perms.areas_of(user)
    if areas.national:
        return {f"{prefix}:national"}
    departments = set(areas.departments)
    if feature in READ_FEATURES:
        departments |= areas.widened_departments
    keys = {f"{prefix}:region:{code}" for code in areas.regions}
    keys |= {f"{prefix}:dept:{code}" for code in departments}
    keys |= {f"{prefix}:epci:{code}" for code in areas.epcis}
    keys |= {f"{prefix}:commune:{code}" for code in areas.communes}
    return keys


def site_keys(site) -> list[str]:
    return territorial_keys(SITE_PREFIX, perms.locate(site))


def action_keys(action) -> list[str]:
    """Readers of an action: `action.read` on its department, its pilots and the members of its
    operators (`actions.perms.can_read`)."""
    keys = territorial_keys(ACTION_PREFIX, perms.locate(action.department))
    keys += [f"{ACTION_PREFIX}:user:{pilot.pk}" for pilot in action.pilots.all()]
    keys += [f"{ACTION_PREFIX}:org:{row.organization_id}" for row in action.operator_rows.all()]
    return keys


def reader_action_keys(user) -> set[str]:
    keys = reader_territorial_keys(user, Feature.ACTION_READ, ACTION_PREFIX)
    keys.add(f"{ACTION_PREFIX}:user:{user.pk}")
    if user.organization_id:
        keys.add(f"{ACTION_PREFIX}:org:{user.organization_id}")
    return keys


def reader_keys(user) -> set[str]:
    """Every key `user` holds, across all content types (empty for anonymous/inactive users)."""
    if not perms.is_active_member(user):
        return set()
    keys = {PUBLIC}
    keys |= reader_territorial_keys(user, Feature.SITE_READ, SITE_PREFIX)
    keys |= reader_action_keys(user)
    if perms.can(user, Feature.USER_LIST):
        keys.add(DIRECTORY)
    if forum_perms.is_forum_member(user):
        keys.add(FORUM_MEMBER)
    if forum_perms.is_forum_moderator(user):
        keys.add(FORUM_MODERATOR)
    keys |= journal_reader_keys(user)
    return keys


# --- The journal's own audience rules, namespaced -------------------------------------------------

#: The journal owns its audience rules (`journal.access`); its keys are namespaced so that they
#: never meet another app's keys.
JOURNAL_PREFIX = "journal|"


def journal_reader_keys(user) -> set[str]:
    return {JOURNAL_PREFIX + key for key in journal_access.reader_access_keys(user)}


def journal_entry_keys(entry) -> list[str]:
    """The journal's keys of the entry; for a published message of an action's journal meant
    for the action's readers, also the action's own reader keys (`action_keys`)."""
    keys = [JOURNAL_PREFIX + key for key in journal_access.entry_access_keys(entry)]
    if (
        entry.action_id
        and entry.state == EntryState.PUBLISHED
        and entry.audience == Audience.SITE_READERS
    ):
        keys += action_keys(entry.action)
    return keys
