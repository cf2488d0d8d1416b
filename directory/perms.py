"""Permission rules: the only place that decides who may do what, and where.

`can(user, feature, place)` answers one question; `scope_q(user, feature, path)` filters a
queryset to what a user may reach. A *place* is a Region, Department, Epci or Commune, or any
object with a `commune` or `department` attribute (a site, an access request…), or a User (their
main intervention area). Results are cached on the user object for the duration of a request.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from directory.enums import Role, TerritoryLevel, UserStatus
from directory.models import (
    Commune,
    Department,
    Epci,
    InterventionArea,
    PermissionException,
    Region,
    User,
)
from directory.permission_matrix import (
    OPTION_GRANTS,
    READ_FEATURES,
    ROLE_DEFAULTS,
    SCOPE_RANK,
    Feature,
    Scope,
)

# --- Locations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """Where something is, as sets of codes (an EPCI may span several departments)."""

    level: str
    regions: frozenset = frozenset()
    departments: frozenset = frozenset()
    epci: str | None = None
    commune: str | None = None


NATION = Location(level=TerritoryLevel.NATION)


def locate(place) -> Location | None:
    """The Location of a territory, of an object placed in a commune or department, or a user."""
    if place is None:
        return None
    if isinstance(place, Location):
        return place
    if isinstance(place, Commune):
        department = place.department
        return Location(
            level=TerritoryLevel.COMMUNE,
            regions=frozenset({department.region_id}),
            departments=frozenset({department.code}),
            epci=place.epci_id,
            commune=place.code,
        )
    if isinstance(place, Department):
        return Location(
            level=TerritoryLevel.DEPARTMENT,
            regions=frozenset({place.region_id}),
            departments=frozenset({place.code}),
        )
    if isinstance(place, Region):
        return Location(level=TerritoryLevel.REGION, regions=frozenset({place.code}))
    if isinstance(place, Epci):
        pairs = set(
            Commune.objects.filter(epci=place).values_list("department_id", "department__region_id")
        )
        return Location(
            level=TerritoryLevel.EPCI,
            regions=frozenset(region for _, region in pairs),
            departments=frozenset(department for department, _ in pairs),
            epci=place.code,
        )
    if isinstance(place, User):
        return user_location(place)
    if isinstance(place, InterventionArea):
        return NATION if place.level == TerritoryLevel.NATION else locate(place.territory)
    for attribute in ("commune", "department"):
        territory = getattr(place, attribute, None)
        if territory is not None:
            return locate(territory)
    raise TypeError(f"Cannot locate {place!r}")


# --- Intervention areas -------------------------------------------------------------------------


@dataclass
class Areas:
    """A user's intervention areas, flattened into code sets."""

    national: bool = False
    regions: set = field(default_factory=set)
    departments: set = field(default_factory=set)
    epcis: set = field(default_factory=set)
    communes: set = field(default_factory=set)
    #: departments reached through a commune or EPCI area (read access widens to them)
    widened_departments: set = field(default_factory=set)
    main: InterventionArea | None = None
    #: the areas themselves, main area first
    rows: list = field(default_factory=list)

    def covers(self, location: Location, *, read: bool) -> bool:
        if self.national:
            return True
        if location.level == TerritoryLevel.NATION:
            return False
        if location.regions and location.regions <= self.regions:
            return True
        if location.level == TerritoryLevel.REGION:
            return False
        departments = self.departments | (self.widened_departments if read else set())
        if location.departments and location.departments <= departments:
            return True
        if location.level == TerritoryLevel.DEPARTMENT:
            return False
        if location.epci and location.epci in self.epcis:
            return True
        return location.commune is not None and location.commune in self.communes


def areas_of(user) -> Areas:
    """The user's own areas, or their organisation's when they have none (cached on the user)."""
    cached = getattr(user, "_perm_areas", None)
    if cached is not None:
        return cached
    areas = Areas()
    rows = list(
        InterventionArea.objects.filter(user=user).select_related(
            "region", "department", "epci", "commune__department"
        )
    )
    if not rows and user.organization_id:
        rows = list(
            InterventionArea.objects.filter(organization_id=user.organization_id).select_related(
                "region", "department", "epci", "commune__department"
            )
        )
    areas.rows = rows
    for area in rows:
        if areas.main is None:  # rows come main area first (InterventionArea.Meta.ordering)
            areas.main = area
        if area.level == TerritoryLevel.NATION:
            areas.national = True
        elif area.level == TerritoryLevel.REGION:
            areas.regions.add(area.region_id)
        elif area.level == TerritoryLevel.DEPARTMENT:
            areas.departments.add(area.department_id)
        elif area.level == TerritoryLevel.EPCI:
            areas.epcis.add(area.epci_id)
        elif area.level == TerritoryLevel.COMMUNE:
            areas.communes.add(area.commune_id)
            areas.widened_departments.add(area.commune.department_id)
    if areas.epcis:
        areas.widened_departments |= set(
            Commune.objects.filter(epci_id__in=areas.epcis)
            .values_list("department_id", flat=True)
            .distinct()
        )
    user._perm_areas = areas
    return areas


def user_location(user) -> Location:
    """Where a user acts: their main area (the nation when they have none)."""
    main = areas_of(user).main
    if main is None or main.level == TerritoryLevel.NATION:
        return NATION
    return locate(main.territory)


# --- Scopes -------------------------------------------------------------------------------------


def _exceptions(user) -> tuple[dict, dict]:
    cached = getattr(user, "_perm_exceptions", None)
    if cached is None:
        own, organization = {}, {}
        query = Q(user_id=user.pk)
        if user.organization_id:
            query |= Q(organization_id=user.organization_id)
        for exception in PermissionException.objects.filter(query):
            target = own if exception.user_id else organization
            target[exception.feature] = Scope(exception.scope)
        cached = user._perm_exceptions = (own, organization)
    return cached


def is_active_member(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.status == UserStatus.ACTIVE)
    )


def scope_for(user, feature: str) -> Scope:
    """user exception > user option > organisation exception > role default."""
    if not is_active_member(user):
        return Scope.NONE
    if user.is_superuser:
        return Scope.NATIONAL
    own, organization = _exceptions(user)
    if feature in own:
        return own[feature]
    role_default = ROLE_DEFAULTS.get(user.role, {}).get(feature, Scope.NONE)
    base = organization.get(feature, role_default)
    for option in user.options or []:
        granted_feature, granted_scope = OPTION_GRANTS.get(option, (None, None))
        if granted_feature == feature and SCOPE_RANK[granted_scope] > SCOPE_RANK[base]:
            base = granted_scope
    return base


def can(user, feature: str, place=None) -> bool:
    """May `user` use `feature` at `place`? Without a place: anywhere at all."""
    scope = scope_for(user, feature)
    if scope == Scope.NONE:
        return False
    if scope == Scope.NATIONAL:
        return True
    areas = areas_of(user)
    if place is None:
        return bool(
            areas.national or areas.regions or areas.departments or areas.epcis or areas.communes
        )
    return areas.covers(locate(place), read=feature in READ_FEATURES)


def scope_q(user, feature: str, commune_path: str = "commune") -> Q:
    """A filter keeping the rows whose commune (reached by `commune_path`) the user may reach."""
    scope = scope_for(user, feature)
    if scope == Scope.NATIONAL:
        return Q()
    nothing = Q(pk__in=[])
    if scope == Scope.NONE:
        return nothing
    areas = areas_of(user)
    if areas.national:
        return Q()
    departments = areas.departments | (
        areas.widened_departments if feature in READ_FEATURES else set()
    )
    query = nothing
    if areas.regions:
        query |= Q(**{f"{commune_path}__department__region_id__in": areas.regions})
    if departments:
        query |= Q(**{f"{commune_path}__department_id__in": departments})
    if areas.epcis:
        query |= Q(**{f"{commune_path}__epci_id__in": areas.epcis})
    if areas.communes:
        query |= Q(**{f"{commune_path}__in": areas.communes})
    return query


def matrix_for_display():
    """Rows for the readable role table: (feature label, [scope per role in ROLE_ORDER])."""
    from directory.permission_matrix import ROLE_ORDER

    return [
        (Feature(feature).label, [ROLE_DEFAULTS[role][feature] for role in ROLE_ORDER])
        for feature in Feature
    ]


# --- Account administration ---------------------------------------------------------------------


def is_admin(user) -> bool:
    return is_active_member(user) and (
        user.is_superuser or user.role in (Role.NATIONAL_ADMIN, Role.LOCAL_ADMIN)
    )


#: Roles whose login needs a second factor (TOTP) besides the password.
SECOND_FACTOR_ROLES = (Role.NATIONAL_ADMIN, Role.LOCAL_ADMIN)


def must_use_second_factor(user) -> bool:
    """Administrators (national, local), superusers and anyone who may enter the Wagtail admin
    confirm their login with a second factor before any page."""
    return user.is_authenticated and (
        user.is_superuser or user.is_staff or user.role in SECOND_FACTOR_ROLES
    )


def can_manage_user(admin, target) -> bool:
    """Change role, options, areas or status of `target`: national admins anywhere, local admins
    when *every* intervention area of the target (their own, else their organisation's) lies in
    their territory — a role or an option takes effect on all of them, not only on the main one —
    never themselves, never a superuser unless they are one."""
    if admin.pk == target.pk or (target.is_superuser and not admin.is_superuser):
        return False
    if target.role == Role.NATIONAL_ADMIN and not (
        admin.is_superuser or admin.role == Role.NATIONAL_ADMIN
    ):
        return False
    if not can(admin, Feature.USER_DEACTIVATE, target):  # the main area (the nation if none)
        return False
    return all(
        can(admin, Feature.USER_DEACTIVATE, locate(area)) for area in areas_of(target).rows[1:]
    )


def can_read_admin_comments(viewer, target) -> bool:
    return is_admin(viewer) and can(viewer, Feature.USER_DEACTIVATE, target)


def can_decide_access_request(admin, access_request) -> bool:
    location = access_request_location(access_request)
    return can(admin, Feature.USER_CREATE, location)


def grantable_roles(admin) -> list[str]:
    """Roles an admin may give: national admins give any; local admins any but national admin."""
    if admin.is_superuser or admin.role == Role.NATIONAL_ADMIN:
        return list(Role.values)
    if admin.role == Role.LOCAL_ADMIN:
        return [role for role in Role.values if role != Role.NATIONAL_ADMIN]
    return []


def access_request_location(access_request) -> Location:
    if access_request.territory_level == TerritoryLevel.NATION:
        return NATION
    return locate(access_request.territory) or NATION


def access_requests_q(admin) -> Q:
    """The access requests `admin` may decide, as a filter: the same answer as
    `can_decide_access_request` for each row, computed by the database."""
    from django.db.models import Exists, OuterRef

    scope = scope_for(admin, Feature.USER_CREATE)
    if scope == Scope.NATIONAL:
        return Q()
    nothing = Q(pk__in=[])
    areas = areas_of(admin)
    if scope == Scope.NONE:
        return nothing
    if areas.national:
        return Q()
    regions, departments = areas.regions, areas.departments
    level = TerritoryLevel
    commune = Q(territory_level=level.COMMUNE) & (
        Q(commune__department__region_id__in=regions)
        | Q(commune__department_id__in=departments)
        | Q(commune__epci_id__in=areas.epcis)
        | Q(commune_id__in=areas.communes)
    )
    department = Q(territory_level=level.DEPARTMENT) & (
        Q(department__region_id__in=regions) | Q(department_id__in=departments)
    )
    region = Q(territory_level=level.REGION, region_id__in=regions)
    # An EPCI is covered when it is an area itself, or when all its communes lie in the
    # admin's regions, or all in the admin's departments (it may span several departments).
    epci_communes = Commune.objects.filter(epci_id=OuterRef("epci_id"))
    epci = Q(territory_level=level.EPCI) & (
        Q(epci_id__in=areas.epcis)
        | (
            Exists(epci_communes)
            & (
                ~Exists(epci_communes.exclude(department__region_id__in=regions))
                | ~Exists(epci_communes.exclude(department_id__in=departments))
            )
        )
    )
    return commune | department | region | epci


def access_request_deciders(access_request):
    """Who decides: the local admins whose territory holds the request's department; the
    national admins when there is none, or when the request is regional or national."""
    location = access_request_location(access_request)
    active_admins = User.objects.active().select_related("organization")
    if location.level in (TerritoryLevel.NATION, TerritoryLevel.REGION):
        local = []
    else:
        department_location = Location(
            level=TerritoryLevel.DEPARTMENT,
            regions=location.regions,
            departments=location.departments,
        )
        local = [
            admin
            for admin in active_admins.filter(role=Role.LOCAL_ADMIN)
            if areas_of(admin).covers(department_location, read=False)
        ]
    if local:
        return local
    return list(active_admins.filter(role=Role.NATIONAL_ADMIN))


# --- Organisation administration ----------------------------------------------------------------


def can_place_organization(admin, territory) -> bool:
    """May `admin` give an organisation an intervention area on `territory` (None = the nation)?

    National admins (and superusers) anywhere; local admins within their own territory. The
    rule follows the right to create accounts (`Feature.USER_CREATE`): an access request already
    creates an organisation when it is approved."""
    if not is_admin(admin):
        return False
    return can(admin, Feature.USER_CREATE, NATION if territory is None else territory)


def can_create_organization(admin) -> bool:
    """May `admin` create organisations at all (somewhere in their territory)?"""
    return is_admin(admin) and can(admin, Feature.USER_CREATE)


def can_manage_organization(admin, organization) -> bool:
    """Edit, deactivate or reactivate `organization`: national admins everywhere, local admins
    only when every intervention area of the organisation lies within their territory (an
    organisation without any area counts as national)."""
    if not is_admin(admin):
        return False
    areas = getattr(organization, "managed_areas", None)
    if areas is None:
        areas = list(
            InterventionArea.objects.filter(organization_id=organization.pk).select_related(
                "region", "department", "epci", "commune__department"
            )
        )
    if not areas:
        return can_place_organization(admin, None)
    return all(can_place_organization(admin, area.territory) for area in areas)


# --- Own account, erasure, sign-in log ----------------------------------------------------------


def is_national_admin(user) -> bool:
    return is_active_member(user) and (user.is_superuser or user.role == Role.NATIONAL_ADMIN)


def can_anonymize_user(admin, target) -> bool:
    """Erasure on request: national admins (and superusers), on anyone but themselves and
    superusers, once."""
    return (
        is_national_admin(admin)
        and admin.pk != target.pk
        and not target.is_superuser
        and target.anonymized_at is None
    )


def can_read_sign_in_log(viewer, target) -> bool:
    """The person themself and the national admins."""
    if not is_active_member(viewer):
        return False
    return viewer.pk == target.pk or is_national_admin(viewer)


def can_read_permission_exceptions(user) -> bool:
    return is_national_admin(user)


def _area_within_q(areas: Areas) -> Q:
    """InterventionArea rows lying within `areas` (write scope: no read widening)."""
    level = TerritoryLevel
    regions, departments = areas.regions, areas.departments
    return (
        Q(level=level.REGION, region_id__in=regions)
        | Q(level=level.DEPARTMENT)
        & (Q(department_id__in=departments) | Q(department__region_id__in=regions))
        | Q(level=level.EPCI, epci_id__in=areas.epcis)
        | Q(level=level.COMMUNE)
        & (
            Q(commune_id__in=areas.communes)
            | Q(commune__epci_id__in=areas.epcis)
            | Q(commune__department_id__in=departments)
            | Q(commune__department__region_id__in=regions)
        )
    )


def users_q(admin, feature: str = Feature.USER_DEACTIVATE) -> Q:
    """The accounts of `admin`'s territory, as a filter on User: those whose main intervention
    area (their own, else their organisation's) lies within it. National scope: every account.
    (Acting on one account still asks `can_manage_user`, which checks all its areas.)"""
    from django.db.models import Exists, OuterRef

    scope = scope_for(admin, feature)
    if scope == Scope.NATIONAL:
        return Q()
    nothing = Q(pk__in=[])
    if scope == Scope.NONE:
        return nothing
    areas = areas_of(admin)
    if areas.national:
        return Q()
    within = _area_within_q(areas)
    own = InterventionArea.objects.filter(user_id=OuterRef("pk"))
    organization_main = InterventionArea.objects.filter(
        organization_id=OuterRef("organization_id"), is_main=True
    )
    return Q(Exists(own.filter(is_main=True).filter(within))) | (
        ~Q(Exists(own)) & Q(Exists(organization_main.filter(within)))
    )
