"""Read endpoints of `/api/v1/`: the screens' rules, through the screens' own functions.

Lists hold only what the user may see on screen (`directory.perms`, `SitePage.objects.visible_to`,
the site list's `SiteFilterForm`); a detail the user may not read is a 404 (its existence is not
revealed), as on the pages.
"""

import hashlib
import json

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from api import serializers
from api.authentication import ApiTokenAuthentication, PlatformSessionAuthentication
from api.exceptions import api_exception_handler
from api.pagination import ApiCursorPagination
from api.throttling import PerTokenThrottle
from directory import perms
from directory.models import Department, Organization, Region, User
from directory.permission_matrix import Feature
from sitepages import filters as site_filters
from sitepages import history, resorption
from sitepages.models import ClosingSolution, SiteActor, SiteOwner, SitePage, rules

# --- Common behaviour ---------------------------------------------------------------------------


class PlatformApi:
    """Every /api/v1/ view: a token or the session, an active member, a budget per token,
    cursor pages, errors in JSON."""

    authentication_classes = [ApiTokenAuthentication, PlatformSessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [PerTokenThrottle]
    pagination_class = ApiCursorPagination

    def get_exception_handler(self):
        return api_exception_handler


# --- ETag ---------------------------------------------------------------------------------------


def etag_response(request, data) -> Response:
    """The detail with a strong ETag of its JSON (what this reader sees); 304 when the client's
    `If-None-Match` names it."""
    body = json.dumps(data, cls=JSONEncoder, sort_keys=True).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    candidates = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in candidates or "*" in candidates:
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = Response(data)
    response["ETag"] = etag
    return response


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Territories --------------------------------------------------------------------------------


@extend_schema(tags=["territoires"], summary=_("Regions"))
class RegionList(PlatformApi, generics.ListAPIView):
    serializer_class = serializers.RegionSerializer
    queryset = Region.objects.all()
    cursor_ordering = ("code",)


@extend_schema(tags=["territoires"], summary=_("Departments"))
class DepartmentList(PlatformApi, generics.ListAPIView):
    serializer_class = serializers.DepartmentSerializer
    queryset = Department.objects.all()
    cursor_ordering = ("code",)


# --- Directory ----------------------------------------------------------------------------------


@extend_schema(tags=["annuaire"], summary=_("Organisations of the directory"))
class OrganizationList(PlatformApi, generics.ListAPIView):
    serializer_class = serializers.OrganizationSerializer
    cursor_ordering = ("pk",)

    def get_queryset(self):
        require(perms.can(self.request.user, Feature.USER_LIST))
        return Organization.objects.active().select_related("type")


@extend_schema(tags=["annuaire"], summary=_("An organisation of the directory"))
class OrganizationDetail(PlatformApi, generics.RetrieveAPIView):
    serializer_class = serializers.OrganizationSerializer

    def get_queryset(self):
        require(perms.can(self.request.user, Feature.USER_READ))
        queryset = Organization.objects.select_related("type")
        if not perms.is_admin(self.request.user):
            queryset = queryset.filter(is_active=True)
        return queryset

    def retrieve(self, request, *args, **kwargs):
        return etag_response(request, self.get_serializer(self.get_object()).data)


@extend_schema(tags=["annuaire"], summary=_("People of the directory (active members)"))
class UserList(PlatformApi, generics.ListAPIView):
    serializer_class = serializers.UserSerializer
    cursor_ordering = ("pk",)

    def get_queryset(self):
        require(perms.can(self.request.user, Feature.USER_LIST))
        return User.objects.active().select_related("organization")


@extend_schema(tags=["annuaire"], summary=_("A person of the directory"))
class UserDetail(PlatformApi, generics.RetrieveAPIView):
    serializer_class = serializers.UserSerializer

    def get_queryset(self):
        require(perms.can(self.request.user, Feature.USER_READ))
        if perms.is_admin(self.request.user):
            return User.objects.select_related("organization")
        return User.objects.active().select_related("organization")

    def retrieve(self, request, *args, **kwargs):
        return etag_response(request, self.get_serializer(self.get_object()).data)


# --- Sites --------------------------------------------------------------------------------------

#: The site list's sorts (`tri`), as cursor orderings: a first column the cursor can compare,
#: then the primary key.
SITE_SORTS = {
    site_filters.SORT_UPDATED: ("-last_update", "-pk"),
    site_filters.SORT_POPULATION: ("-sort_people", "-pk"),
    site_filters.SORT_COMMUNE: ("sort_commune", "pk"),
    site_filters.SORT_DECLARED: ("-declared_at", "-pk"),
}

SITE_FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description=_("Name, address or commune")),
    OpenApiParameter(
        "territoire", str, description=_("A territory as level:code, e.g. departement:69")
    ),
    OpenApiParameter(
        "statut", str, enum=[choice for choice, _label in site_filters.STATUS_CHOICES]
    ),
    OpenApiParameter("tri", str, enum=list(SITE_SORTS)),
    OpenApiParameter(
        "perimetre",
        str,
        enum=[site_filters.PERIMETER_ALL],
        description=_("tout: beyond the user's own areas, as on the list screen"),
    ),
    OpenApiParameter("population", str, many=True),
    OpenApiParameter("terrain", str, many=True),
    OpenApiParameter("conditions", str, many=True),
    OpenApiParameter("niveau", str, many=True),
    OpenApiParameter("procedures", str, many=True),
    OpenApiParameter("origines", str, many=True),
    OpenApiParameter(
        "objectif", str, description=_("Resorption target year, or “aucun”: sites without one")
    ),
    OpenApiParameter(
        "demarche",
        str,
        many=True,
        enum=list(resorption.FILTER_CHOICES),
        description=_("Resorption process: not engaged, engaged, or a preparatory phase done"),
    ),
    OpenApiParameter("canicule", bool),
    OpenApiParameter("non_actualise", bool),
]


def readable_site(request, pk) -> SitePage:
    """The live site `pk` if the user may read it (404 otherwise, as on the pages)."""
    site = get_object_or_404(SitePage.objects.live().select_related("commune__department"), pk=pk)
    if not perms.can(request.user, Feature.SITE_READ, site):
        raise Http404
    return site


@extend_schema(
    tags=["sites"],
    summary=_("Sites the user may list, with the site list's filters"),
    parameters=SITE_FILTER_PARAMETERS,
)
class SiteList(PlatformApi, generics.ListAPIView):
    serializer_class = serializers.SiteListSerializer

    def cursor_ordering(self, request):
        return SITE_SORTS[self.form.sort]

    def get_queryset(self):
        user = self.request.user
        require(perms.can(user, Feature.SITE_LIST))
        self.form = site_filters.SiteFilterForm(self.request.query_params, user=user)
        if self.form.errors:
            raise ValidationError(self.form.errors)
        queryset = self.form.filter(SitePage.objects.live().visible_to(user))
        return (
            queryset.annotate(
                last_update=rules.last_update(),
                sort_people=Coalesce("people", Value(-1)),
                sort_commune=F("commune__name"),
            )
            .select_related("commune__department")
            .only(*LIST_COLUMNS)
        )


LIST_COLUMNS = [
    "id",
    "title",
    "name",
    "address",
    "people",
    "households",
    "minors",
    "origins",
    "declared_at",
    "updated_at",
    "last_visited_at",
    "closed_at",
    "closed_with_solutions",
    "heatwave",
    "commune__code",
    "commune__name",
    "commune__department__code",
    "commune__department__name",
]


def site_detail_response(request, pk, *, status=200) -> Response:
    """The site as `request.user` may see it (with its ETag)."""
    site = (
        SitePage.objects.select_related("commune__department")
        .prefetch_related(
            Prefetch("owners", queryset=SiteOwner.objects.order_by("sort_order", "pk")),
            Prefetch("closing_solutions", queryset=ClosingSolution.objects.order_by("sort_order")),
            Prefetch("actors", queryset=SiteActor.objects.order_by("sort_order")),
        )
        .get(pk=pk)
    )
    hidden = history.hidden_fields(request.user, site)
    data = serializers.SiteDetailSerializer(
        site, context={"request": request, "hidden_fields": hidden}
    ).data
    response = etag_response(request, data)
    if status != 200 and response.status_code == 200:
        response.status_code = status
    return response


@extend_schema(tags=["sites"], summary=_("A site, with the fields the user may see"))
class SiteDetail(PlatformApi, generics.GenericAPIView):
    serializer_class = serializers.SiteDetailSerializer

    def get(self, request, pk):
        return site_detail_response(request, readable_site(request, pk).pk)


@extend_schema(
    tags=["sites"],
    summary=_("History of a site: its revisions, newest first, with what the user may see"),
)
class SiteHistory(PlatformApi, generics.ListAPIView):
    serializer_class = serializers.RevisionSerializer
    cursor_ordering = ("-created_at", "-pk")

    def list(self, request, pk):
        site = readable_site(request, pk)
        page = self.paginate_queryset(history.revisions_of(site))
        diffs = history.revision_diffs(site, request.user, page)
        return self.get_paginated_response(self.get_serializer(diffs, many=True).data)


@extend_schema(tags=["compte"], summary=_("The user the token or session belongs to"))
class Me(PlatformApi, generics.GenericAPIView):
    serializer_class = serializers.UserSerializer

    def get(self, request):
        return Response(self.get_serializer(request.user).data)
