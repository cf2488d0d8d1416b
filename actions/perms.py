"""Who may do what with actions: the matrix (`directory.perms`, the `action.*` features) on the
action's department, widened by the relation to the action.

- list / read: `action.list` / `action.read` on the department, or being related to it;
- create: `action.create` on the department;
- update (edit, finances, indicators, accept pilots): `action.update` on the department, or
  related;
- finances (read them at all): `action.access_finances` on the department, or related;
- export: `action.export` (finances in it only where the line above allows).

*Related* means a pilot of the action or a member of one of its operators' organisations. Only
active members are ever related (`directory.perms.is_active_member`). Checks take the prefetched
`pilots` and `operator_rows` when the caller loaded them (lists stay at a constant number of
queries).
"""

from django.db.models import Exists, OuterRef, Q

from directory import perms
from directory.models import Department, User
from directory.permission_matrix import READ_FEATURES, ROLE_DEFAULTS, Feature, Scope

NOTHING = Q(pk__in=[])


def department_q(user, feature, path: str = "department") -> Q:
    """The rows whose department (reached by `path`) the user reaches for `feature`."""
    scope = perms.scope_for(user, feature)
    if scope == Scope.NATIONAL:
        return Q()
    if scope == Scope.NONE:
        return NOTHING
    areas = perms.areas_of(user)
    if areas.national:
        return Q()
    departments = set(areas.departments)
    if feature in READ_FEATURES:
        departments |= areas.widened_departments
    query = NOTHING
    if areas.regions:
        query |= Q(**{f"{path}__region_id__in": areas.regions})
    if departments:
        query |= Q(**{f"{path}_id__in": departments})
    return query


def related_q(user) -> Q:
    """The actions the user pilots or operates (through their organisation)."""
    from actions.models import Action, ActionOperator

    if not perms.is_active_member(user):
        return NOTHING
    query = Q(Exists(Action.pilots.through.objects.filter(action_id=OuterRef("pk"), user=user)))
    if user.organization_id:
        query |= Q(
            Exists(
                ActionOperator.objects.filter(
                    action_id=OuterRef("pk"), organization_id=user.organization_id
                )
            )
        )
    return query


def _matrix_or_related(user, feature) -> Q:
    if not perms.is_active_member(user):
        return NOTHING
    matrix = department_q(user, feature)
    if not matrix:  # an empty Q is "everything", and `Q() | other` would be `other`
        return Q()
    return matrix | related_q(user)


def visible_q(user) -> Q:
    return _matrix_or_related(user, Feature.ACTION_LIST)


def readable_q(user) -> Q:
    """The actions the user may read (`can_read`), as a filter."""
    return _matrix_or_related(user, Feature.ACTION_READ)


def finances_q(user) -> Q:
    """The actions whose finances the user may read, as a filter."""
    return _matrix_or_related(user, Feature.ACTION_FINANCES)


def export_q(user) -> Q:
    return _matrix_or_related(user, Feature.ACTION_EXPORT)


# --- One action ---------------------------------------------------------------------------------


def is_pilot(user, action) -> bool:
    return perms.is_active_member(user) and any(
        pilot.pk == user.pk for pilot in action.pilots.all()
    )


def is_related(user, action) -> bool:
    if not perms.is_active_member(user):
        return False
    if is_pilot(user, action):
        return True
    return bool(user.organization_id) and any(
        row.organization_id == user.organization_id for row in action.operator_rows.all()
    )


def can_list(user) -> bool:
    """May the user open the list at all (the matrix anywhere, or related to an action)?"""
    from actions.models import Action

    if perms.can(user, Feature.ACTION_LIST):
        return True
    return perms.is_active_member(user) and Action.objects.filter(related_q(user)).exists()


def can_read(user, action) -> bool:
    return perms.can(user, Feature.ACTION_READ, action.department) or is_related(user, action)


def can_create(user, department=None) -> bool:
    return perms.can(user, Feature.ACTION_CREATE, department)


def can_update(user, action) -> bool:
    return perms.can(user, Feature.ACTION_UPDATE, action.department) or is_related(user, action)


def can_access_finances(user, action) -> bool:
    return perms.can(user, Feature.ACTION_FINANCES, action.department) or is_related(user, action)


def can_export(user) -> bool:
    return perms.can(user, Feature.ACTION_EXPORT)


def can_decide_pilot_requests(user, action) -> bool:
    return is_pilot(user, action)


def can_ask_to_pilot(user, action) -> bool:
    return perms.is_active_member(user) and can_read(user, action) and not is_pilot(user, action)


def creatable_departments(user):
    """The departments where the user may create an action."""

    scope = perms.scope_for(user, Feature.ACTION_CREATE)
    if scope == Scope.NONE:
        return Department.objects.none()
    areas = perms.areas_of(user)
    if scope == Scope.NATIONAL or areas.national:
        return Department.objects.all()
    return Department.objects.filter(Q(region_id__in=areas.regions) | Q(code__in=areas.departments))


def finance_readers(action) -> list:
    """Every active member who may read the action's finances (shown to its editors)."""

    roles = [
        role
        for role, features in ROLE_DEFAULTS.items()
        if features.get(Feature.ACTION_FINANCES, Scope.NONE) != Scope.NONE
    ]
    candidates = (
        User.objects.active()
        .filter(
            Q(role__in=roles)
            | Q(is_superuser=True)
            | Q(pk__in=action.pilots.values("pk"))
            | Q(organization_id__in=action.operator_rows.values("organization_id"))
            | Q(permission_exceptions__feature=Feature.ACTION_FINANCES)
            | Q(organization__permission_exceptions__feature=Feature.ACTION_FINANCES)
        )
        .distinct()
        .select_related("organization")
        .order_by("last_name", "first_name", "pk")
    )
    return [user for user in candidates if can_access_finances(user, action)]
