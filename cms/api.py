"""Headless API (Wagtail API v2), read-only and anonymous: what anybody may see on the public side.

- `pages/`: live, public (no view restriction on them or their ancestors) pages of the public
  page types only (`cms.models.PUBLIC_PAGE_MODELS`) — never sites nor their department index.
- `images/`, `documents/`: only those a public page uses (Wagtail's reference index).
- `statistics/` (JSON) and `statistics/csv/` (open data): the suppressed public statistics.

Bad input is a 400 in JSON, never a 500: paging is bounded (`MAX_OFFSET`, Wagtail's
`WAGTAILAPI_LIMIT_MAX`) and a value the database refuses (out of range...) is reported as such.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DataError
from django.urls import path
from rest_framework import status
from rest_framework.response import Response
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, ReferenceIndex

from cms import views_public
from cms.models import PUBLIC_PAGE_MODELS

#: The deepest page a client may ask for: beyond, PostgreSQL would scan for nothing (or refuse
#: an OFFSET out of its range). The public side holds far fewer items.
MAX_OFFSET = 10_000


class BoundedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        try:
            offset = int(request.GET.get("offset", 0))
        except ValueError:
            offset = 0  # Wagtail's own check answers
        if offset > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


class SafeInputMixin:
    """Bounded paging, and a value the database refuses is the client's error (400, JSON)."""

    pagination_class = BoundedPagination

    def handle_exception(self, exc):
        # Out-of-range numbers (DataError), ids that are not numbers (ValueError, from
        # `find/?id=` and the filters): the client's error, said in JSON.
        if isinstance(exc, DataError | ValueError | ValidationError):
            return Response(
                {"message": "invalid value in the query"}, status=status.HTTP_400_BAD_REQUEST
            )
        return super().handle_exception(exc)


def public_pages(queryset):
    """Restrict a page queryset to the public page types."""
    return queryset.type(*PUBLIC_PAGE_MODELS)


class PublicPagesAPIViewSet(SafeInputMixin, PagesAPIViewSet):
    def get_base_queryset(self):
        return public_pages(super().get_base_queryset())


def _public_page_ids() -> list[str]:
    pages = public_pages(Page.objects.live().public())
    return [str(pk) for pk in pages.values_list("pk", flat=True)]


def used_by_public_pages(model):
    """Primary keys of the `model` objects (images, documents) that a public page refers to."""
    return ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=_public_page_ids(),
        to_content_type=ContentType.objects.get_for_model(model),
    ).values_list("to_object_id", flat=True)


class PublicImagesAPIViewSet(SafeInputMixin, ImagesAPIViewSet):
    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.filter(pk__in=[int(pk) for pk in used_by_public_pages(self.model)])


class PublicDocumentsAPIViewSet(SafeInputMixin, DocumentsAPIViewSet):
    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.filter(pk__in=[int(pk) for pk in used_by_public_pages(self.model)])


class _NoModel:
    """The statistics endpoint serves no model (the router looks endpoints up by model)."""


class StatisticsEndpoint:
    model = _NoModel

    @classmethod
    def get_urlpatterns(cls):
        return [
            path("", views_public.statistics_json, name="listing"),
            path("csv/", views_public.statistics_csv, name="csv"),
        ]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("statistics", StatisticsEndpoint)
