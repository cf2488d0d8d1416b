"""Resorption actions, read-only, with the screens' rules (`actions.perms`): the list holds the
actions the user may list, with the list's filters; the detail shows the sites of the action the
user may list, and the finances only to those who may read them (absent from the JSON otherwise).
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from actions import perms
from actions.enums import ActionTopic, FinanceType
from actions.forms import ActionFilterForm
from actions.models import Action, ActionFinance
from api.views import PlatformApi, etag_response, require
from sitepages.models import SitePage


class OperatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="organization.pk")
    name = serializers.CharField(source="organization.name")
    principal = serializers.BooleanField(source="is_principal")


class ActionListSerializer(serializers.ModelSerializer):
    status = serializers.CharField()
    department = serializers.CharField(source="department_id")
    topics = serializers.ListField(child=serializers.ChoiceField(choices=ActionTopic.choices))
    operators = OperatorSerializer(source="operator_rows", many=True)

    class Meta:
        model = Action
        fields = ["id", "name", "status", "department", "topics", "started_at", "ended_at"]
        fields += ["operators"]


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class SiteLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class IndicatorsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    values = serializers.DictField(child=serializers.IntegerField(allow_null=True))


class FinanceSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(source="finance_type", choices=FinanceType.choices)

    class Meta:
        model = ActionFinance
        fields = ["year", "type", "planned_amount", "spent_amount", "comment"]


class ActionDetailSerializer(ActionListSerializer):
    pilots = PersonSerializer(many=True)
    sites = serializers.SerializerMethodField(
        help_text=_("The sites of the action the user may list.")
    )
    indicators = serializers.SerializerMethodField()
    finances = serializers.SerializerMethodField(
        help_text=_("Only for the users who may read the action's finances: absent otherwise.")
    )

    class Meta(ActionListSerializer.Meta):
        fields = [*ActionListSerializer.Meta.fields, "goals", "location_type"]
        fields += ["location_address", "location_commune", "location_other", "pilots"]
        fields += ["sites", "indicators", "finances", "created_at", "updated_at"]

    def get_sites(self, action) -> list[dict]:
        return SiteLinkSerializer(action.readable_sites, many=True).data

    def get_indicators(self, action) -> list[dict]:
        return [
            {"year": row.year, "values": row.values()}
            for row in action.indicators.all()
            if not row.is_empty
        ]

    def get_finances(self, action) -> list[dict]:
        return FinanceSerializer(action.finances.all(), many=True).data

    def to_representation(self, action):
        data = super().to_representation(action)
        if not perms.can_access_finances(self.context["request"].user, action):
            data.pop("finances")
        return data


@extend_schema(
    tags=["actions"],
    summary=_("Resorption actions the user may list, latest start first, with the list's filters"),
)
class ActionList(PlatformApi, generics.ListAPIView):
    serializer_class = ActionListSerializer
    cursor_ordering = ("-started_at", "-pk")

    def get_queryset(self):
        user = self.request.user
        require(perms.can_list(user))
        form = ActionFilterForm(self.request.query_params, user=user)
        if form.errors:
            raise ValidationError(form.errors)
        return form.filter(Action.objects.visible_to(user)).with_relations()


@extend_schema(tags=["actions"], summary=_("One action: operators, pilots, sites, results, money"))
class ActionDetail(PlatformApi, generics.GenericAPIView):
    serializer_class = ActionDetailSerializer

    def get(self, request, pk):
        user = request.user
        action = get_object_or_404(
            Action.objects.with_relations().prefetch_related(
                "indicators",
                Prefetch(
                    "finances", queryset=ActionFinance.objects.order_by("year", "finance_type")
                ),
            ),
            pk=pk,
        )
        if not perms.can_read(user, action):
            raise Http404
        action.readable_sites = list(
            SitePage.objects.live().visible_to(user).filter(actions=action).order_by("title")
        )
        return etag_response(request, self.get_serializer(action).data)
