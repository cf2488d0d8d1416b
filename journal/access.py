"""Access keys of journal entries, for the search index (contract with the `search` app).

A reader may read an entry iff `entry_access_keys(entry)` and `reader_access_keys(user)`
intersect; this is `journal.perms.can_read_entry` written as sets (tested to agree on the
audience table in tests/journal/test_access_keys.py). Key names are stable:

- ``journal:nation``, ``journal:region:<code>``, ``journal:dept:<code>``: audience "site
  readers" (JOURNAL_LIST; a read feature, so commune and EPCI areas count as their department);
- ``journal:author:<user id>``: the author of a published entry;
- ``journal:state:dept:<code>@<place>`` / ``journal:state:region:<code>@<place>``: audience
  "préfecture and DDETS" — the organisation's area (department or region of the site) joined
  with the place where the reader holds JOURNAL_LIST_PRIVATE (``nation``, ``region:<code>``,
  ``dept:<code>``);
- ``journal:private:user:<id>@<place>`` / ``journal:private:org:<id>@<place>``: audience
  "chosen", joined the same way with the reader's JOURNAL_LIST_PRIVATE place;
- ``journal:moderator:nation`` / ``…:region:<code>`` / ``…:dept:<code>`` / ``…:epci:<code>`` /
  ``…:commune:<code>``: moderators (JOURNAL_MODERATE, a write feature: not widened). A hidden
  entry carries only these keys.

Entry keys depend on the entry's site, audience and state: reindex the entry when one changes.

An action's entries (`entry.action`) carry here only the moderator keys of the action's
department and, published, the author's key. The readers of an action are the `search` app's
own action keys (department, pilots, operators: `search.access.action_keys`), which it adds to
a published entry for "site readers" (here: the action's readers). An action's private messages
get no more: the search finds them for their author and the moderators only — never for someone
who may not read them.
"""

from directory import perms
from directory.permission_matrix import Feature, Scope
from journal.enums import Audience, EntryState
from journal.perms import state_service_areas


def _entry_places(site) -> list[str]:
    department = site.commune.department
    return ["nation", f"region:{department.region_id}", f"dept:{department.code}"]


def _moderator_places(site) -> list[str]:
    commune = site.commune
    places = [
        "nation",
        f"region:{commune.department.region_id}",
        f"dept:{commune.department_id}",
        f"commune:{commune.code}",
    ]
    if commune.epci_id:
        places.append(f"epci:{commune.epci_id}")
    return places


def _action_moderator_places(action) -> list[str]:
    department = action.department
    return ["nation", f"region:{department.region_id}", f"dept:{department.code}"]


def entry_access_keys(entry) -> list[str]:
    if entry.action_id:
        keys = [f"journal:moderator:{place}" for place in _action_moderator_places(entry.action)]
        if entry.state == EntryState.PUBLISHED:
            keys.append(f"journal:author:{entry.author_id}")
        return keys
    site = entry.site
    keys = [f"journal:moderator:{place}" for place in _moderator_places(site)]
    if entry.state != EntryState.PUBLISHED:
        return keys
    keys.append(f"journal:author:{entry.author_id}")
    places = _entry_places(site)
    if entry.audience == Audience.SITE_READERS:
        keys += [f"journal:{place}" for place in places]
    elif entry.audience == Audience.STATE_SERVICES:
        department = site.commune.department
        for owner in (f"dept:{department.code}", f"region:{department.region_id}"):
            keys += [f"journal:state:{owner}@{place}" for place in places]
    elif entry.audience == Audience.CHOSEN:
        principals = [f"user:{user.pk}" for user in entry.audience_users.all()]
        principals += [f"org:{org.pk}" for org in entry.audience_organizations.all()]
        for principal in principals:
            keys += [f"journal:private:{principal}@{place}" for place in places]
    return keys


def _read_places(user, feature) -> set[str]:
    """Where `user` holds a read feature, as place keys (read features are department-wide)."""
    scope = perms.scope_for(user, feature)
    if scope == Scope.NONE:
        return set()
    areas = perms.areas_of(user)
    if scope == Scope.NATIONAL or areas.national:
        return {"nation"}
    return {f"region:{code}" for code in areas.regions} | {
        f"dept:{code}" for code in areas.departments | areas.widened_departments
    }


def _moderator_reader_places(user) -> set[str]:
    scope = perms.scope_for(user, Feature.JOURNAL_MODERATE)
    if scope == Scope.NONE:
        return set()
    areas = perms.areas_of(user)
    if scope == Scope.NATIONAL or areas.national:
        return {"nation"}
    return (
        {f"region:{code}" for code in areas.regions}
        | {f"dept:{code}" for code in areas.departments}
        | {f"epci:{code}" for code in areas.epcis}
        | {f"commune:{code}" for code in areas.communes}
    )


def reader_access_keys(user) -> set[str]:
    if not perms.is_active_member(user):
        return set()
    keys = {f"journal:author:{user.pk}"}
    keys |= {f"journal:moderator:{place}" for place in _moderator_reader_places(user)}
    keys |= {f"journal:{place}" for place in _read_places(user, Feature.JOURNAL_LIST)}
    private_places = _read_places(user, Feature.JOURNAL_LIST_PRIVATE)
    if private_places:
        departments, regions = state_service_areas(user)
        owners = [f"dept:{code}" for code in departments] + [f"region:{code}" for code in regions]
        principals = [f"user:{user.pk}"]
        if user.organization_id:
            principals.append(f"org:{user.organization_id}")
        for place in private_places:
            keys |= {f"journal:state:{owner}@{place}" for owner in owners}
            keys |= {f"journal:private:{principal}@{place}" for principal in principals}
    return keys
