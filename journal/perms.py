"""Who may read, post, edit, delete, report and moderate journal entries — the only place these
rules live. Built on `directory.perms` (features JOURNAL_* of the role matrix).

Reading an entry (`can_read_entry`), for an active member:
- a moderator of the site's territory (JOURNAL_MODERATE there) reads every entry, hidden or not;
- nobody else reads a hidden entry;
- the author reads their own entries;
- audience "site readers": JOURNAL_LIST on the site;
- private audiences need JOURNAL_LIST_PRIVATE on the site **and** to be in the audience:
  "state services" = members of a préfecture or DDETS whose organisation has an area on the
  site's department (its department or its region); "chosen" = the chosen users and the members
  of the chosen organisations.
`readable_q(user)` is the same rule as a database filter (tested to agree), and
`journal.access` the same rule as access keys for the search index.

An action's journal (the target is an `actions.Action`, see `journal.targets`): the same rules
with the action's department as the territory, and the action's own rules for the journal
itself — its readers (`actions.perms.can_read`: `action.read` on the department, its pilots and
the members of its operators) open it and read the messages for "site readers" (here: the
action's readers); those who may edit it (`actions.perms.can_update`) post there, with
JOURNAL_CREATE(_PRIVATE) on its department for the private audiences; a private message needs
JOURNAL_LIST_PRIVATE on the department and being in its audience, as on a site; moderators are
those of the department (JOURNAL_MODERATE there).
"""

from django.db.models import Exists, OuterRef, Q

from actions import perms as action_perms
from actions.models import Action
from directory import perms
from directory.enums import TerritoryLevel
from directory.models import InterventionArea
from directory.permission_matrix import Feature, Scope
from journal import targets
from journal.enums import Audience, EntryState

#: Organisation types whose members form the "préfecture and DDETS" audience.
STATE_SERVICE_TYPES = Q(type__name="Préfecture") | Q(type__abbreviation="DDETS")

NOTHING = Q(pk__in=[])
EVERYTHING = Q(pk__isnull=False)


def _target(obj):
    """The target of an entry (its site or action), or the target itself."""
    return obj.target if hasattr(obj, "target") else obj


def _place(obj):
    return targets.place(_target(obj))


def _feature_q(user, feature, path="site__commune") -> Q:
    """`directory.perms.scope_q`, with "everything" as a real condition (an empty Q() would
    vanish when OR-ed with another condition)."""
    query = perms.scope_q(user, feature, path)
    return query if query else EVERYTHING


# --- State services (préfecture, DDETS) ---------------------------------------------------------


def state_service_areas(user) -> tuple[frozenset, frozenset]:
    """(departments, regions) of the user's organisation when it is a préfecture or a DDETS;
    empty sets otherwise. Cached on the user for the request."""
    cached = getattr(user, "_journal_state_areas", None)
    if cached is not None:
        return cached
    departments, regions = set(), set()
    if user.is_authenticated and user.organization_id:
        state_types = Q(organization__type__name="Préfecture") | Q(
            organization__type__abbreviation="DDETS"
        )
        rows = InterventionArea.objects.filter(
            state_types,
            organization_id=user.organization_id,
            level__in=[TerritoryLevel.DEPARTMENT, TerritoryLevel.REGION],
        ).values_list("level", "department_id", "region_id")
        for level, department, region in rows:
            if level == TerritoryLevel.DEPARTMENT:
                departments.add(department)
            else:
                regions.add(region)
    cached = user._journal_state_areas = (frozenset(departments), frozenset(regions))
    return cached


def is_state_service_of(user, target) -> bool:
    departments, regions = state_service_areas(user)
    department = targets.department(target)
    return department.code in departments or department.region_id in regions


# --- Targets (sites, actions) -------------------------------------------------------------------


def can_read_journal(user, target) -> bool:
    """May open the target's journal at all (its stream page): the site itself must be
    readable; an action's journal is open to the action's readers."""
    if targets.is_action(target):
        return perms.is_active_member(user) and action_perms.can_read(user, target)
    return perms.can(user, Feature.SITE_READ, target)


def can_post(user, target) -> bool:
    if not can_read_journal(user, target):
        return False
    if targets.is_action(target):
        return action_perms.can_update(user, target)
    return perms.can(user, Feature.JOURNAL_CREATE, target)


def can_post_private(user, target) -> bool:
    return can_post(user, target) and perms.can(
        user, Feature.JOURNAL_CREATE_PRIVATE, targets.place(target)
    )


def allowed_audiences(user, target) -> list[str]:
    if not can_post(user, target):
        return []
    if can_post_private(user, target):
        return list(Audience.values)
    return [Audience.SITE_READERS]


def can_moderate(user, obj) -> bool:
    """`obj`: an entry or a target. Moderators of the territory: local admins there, national
    admins (JOURNAL_MODERATE)."""
    return perms.can(user, Feature.JOURNAL_MODERATE, _place(obj))


def can_use_moderation_queue(user) -> bool:
    return perms.scope_for(user, Feature.JOURNAL_MODERATE) != Scope.NONE


def moderation_q(user) -> Q:
    """The entries `user` moderates, as a filter."""
    if not can_use_moderation_queue(user):
        return NOTHING
    return (Q(site__isnull=False) & _feature_q(user, Feature.JOURNAL_MODERATE)) | (
        Q(action__isnull=False) & _department_q(user, Feature.JOURNAL_MODERATE)
    )


def _department_q(user, feature) -> Q:
    """`actions.perms.department_q` on the entry's action, "everything" as a real condition."""
    query = action_perms.department_q(user, feature, "action__department")
    return query if query else EVERYTHING


# --- Entries ------------------------------------------------------------------------------------


def in_chosen_audience(user, entry) -> bool:
    if any(member.pk == user.pk for member in entry.audience_users.all()):
        return True
    return user.organization_id is not None and any(
        organization.pk == user.organization_id
        for organization in entry.audience_organizations.all()
    )


def can_read_entry(user, entry) -> bool:
    if not perms.is_active_member(user):
        return False
    target = entry.target
    if can_moderate(user, target):
        return True
    if entry.state != EntryState.PUBLISHED:
        return False
    if entry.author_id == user.pk:
        return True
    if targets.is_action(target) and not action_perms.can_read(user, target):
        return False
    if entry.audience == Audience.SITE_READERS:
        return targets.is_action(target) or perms.can(user, Feature.JOURNAL_LIST, target)
    if not perms.can(user, Feature.JOURNAL_LIST_PRIVATE, targets.place(target)):
        return False
    if entry.audience == Audience.STATE_SERVICES:
        return is_state_service_of(user, target)
    if entry.audience == Audience.CHOSEN:
        return in_chosen_audience(user, entry)
    return False


def readable_q(user) -> Q:
    """`can_read_entry` as a filter on Entry."""
    from journal.models import Entry

    if not perms.is_active_member(user):
        return NOTHING
    site_private_q = action_private_q = NOTHING
    if perms.scope_for(user, Feature.JOURNAL_LIST_PRIVATE) != Scope.NONE:
        departments, regions = state_service_areas(user)
        site_state_q = action_state_q = NOTHING
        if departments:
            site_state_q |= Q(site__commune__department_id__in=departments)
            action_state_q |= Q(action__department_id__in=departments)
        if regions:
            site_state_q |= Q(site__commune__department__region_id__in=regions)
            action_state_q |= Q(action__department__region_id__in=regions)
        chosen_q = Exists(
            Entry.audience_users.through.objects.filter(entry_id=OuterRef("pk"), user_id=user.pk)
        )
        if user.organization_id:
            chosen_q |= Exists(
                Entry.audience_organizations.through.objects.filter(
                    entry_id=OuterRef("pk"), organization_id=user.organization_id
                )
            )
        site_private_q = _feature_q(user, Feature.JOURNAL_LIST_PRIVATE) & (
            (Q(audience=Audience.STATE_SERVICES) & site_state_q)
            | (Q(audience=Audience.CHOSEN) & chosen_q)
        )
        action_private_q = _department_q(user, Feature.JOURNAL_LIST_PRIVATE) & (
            (Q(audience=Audience.STATE_SERVICES) & action_state_q)
            | (Q(audience=Audience.CHOSEN) & chosen_q)
        )
    site_q = Q(site__isnull=False) & (
        (Q(audience=Audience.SITE_READERS) & _feature_q(user, Feature.JOURNAL_LIST))
        | site_private_q
    )
    readable_actions = Action.objects.filter(action_perms.readable_q(user)).values("pk")
    action_q = (
        Q(action__isnull=False)
        & Q(action_id__in=readable_actions)
        & (Q(audience=Audience.SITE_READERS) | action_private_q)
    )
    published_q = Q(state=EntryState.PUBLISHED) & (Q(author_id=user.pk) | site_q | action_q)
    return moderation_q(user) | published_q


def can_open_entry(user, entry) -> bool:
    """Reads the entry where it is: the site's journal, and the entry in it (its page, its
    attachments)."""
    return can_read_journal(user, entry.target) and can_read_entry(user, entry)


def can_see_audience(user, entry) -> bool:
    """The entry's audience is shown to its author and to the moderators of its target."""
    return entry.author_id == user.pk or can_moderate(user, entry)


def can_edit_entry(user, entry) -> bool:
    """The author edits their own published entries (while they may still post there)."""
    return (
        perms.is_active_member(user)
        and entry.author_id == user.pk
        and entry.state == EntryState.PUBLISHED
        and can_post(user, entry.target)
    )


def can_delete_entry(user, entry) -> bool:
    """The author deletes their published entries; a moderator of the territory any entry."""
    if not perms.is_active_member(user):
        return False
    if entry.author_id == user.pk and entry.state == EntryState.PUBLISHED:
        return True
    return can_moderate(user, entry)


def can_report_entry(user, entry) -> bool:
    """Any reader but the author reports a published entry."""
    return (
        entry.state == EntryState.PUBLISHED
        and entry.author_id != user.pk
        and can_read_entry(user, entry)
    )
