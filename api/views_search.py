"""The platform's unified search through the API: the search page's form, backend and access
keys (`search.access.reader_keys`): a hit is only what the reader may read."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.views import PlatformApi
from search import access
from search.backends import get_backend
from search.backends.base import FACETS
from search.forms import MAX_PAGE, SearchForm


class HitSerializer(serializers.Serializer):
    ref = serializers.CharField()
    type = serializers.CharField(source="doc_type")
    title = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField(help_text=_("HTML: the matching words in <mark>."))
    date = serializers.DateField(allow_null=True)
    department = serializers.CharField(source="department_code")
    commune = serializers.CharField(source="commune_name")
    status = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())


class SearchResultsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    total_capped = serializers.BooleanField(
        help_text=_("True when more documents match: total is then a lower bound.")
    )
    page = serializers.IntegerField()
    facets = serializers.DictField(
        child=serializers.ListField(child=serializers.ListField()),
        help_text=_("Facet name: [value, count] pairs."),
    )
    results = HitSerializer(many=True)


@extend_schema(
    tags=["recherche"],
    summary=_("Search what the user may read (sites, journal messages, forum, people…)"),
    parameters=[
        OpenApiParameter("q", str, description=_("The words searched")),
        OpenApiParameter("page", int, description=f"1 à {MAX_PAGE}"),
        *[OpenApiParameter(name, str, many=True) for name in FACETS],
    ],
    responses={200: SearchResultsSerializer},
)
class Search(PlatformApi, generics.GenericAPIView):
    serializer_class = SearchResultsSerializer
    pagination_class = None

    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        search_request = form.search_request()
        if not (search_request.text or search_request.filters):
            raise ValidationError({"q": [_("Type the words to search.")]})
        results = get_backend().search(search_request, access.reader_keys(request.user))
        data = {
            "total": results.total,
            "total_capped": results.total_capped,
            "page": search_request.page,
            "facets": {
                name: [list(pair) for pair in pairs] for name, pairs in results.facets.items()
            },
            "results": results.hits,
        }
        return Response(self.get_serializer(data).data)
