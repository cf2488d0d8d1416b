"""What the API returns. Field visibility is the screens' own: `sitepages.history.hidden_fields`
decides which sensitive groups (owners, justice) a reader gets; those fields are absent from the
JSON, not empty."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from directory import perms
from directory.models import Department, Organization, Region, User
from sitepages import field_groups
from sitepages.models import ClosingSolution, SiteActor, SiteOwner, SitePage

# --- Directory ----------------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class DepartmentSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", help_text=_("Code of the region."))

    class Meta:
        model = Department
        fields = ["code", "name", "region"]


class OrganizationSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="type.name", default=None, allow_null=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "abbreviation", "category", "type", "is_active"]


class UserSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", allow_null=True)
    organization_name = serializers.CharField(
        source="organization.name", default=None, allow_null=True
    )
    role = serializers.SerializerMethodField(
        help_text=_("Only for administrators, as in the directory.")
    )

    class Meta:
        model = User
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "position",
            "organization",
            "organization_name",
            "role",
        ]

    def get_role(self, person) -> str | None:
        viewer = self.context["request"].user
        return person.role if perms.is_admin(viewer) else None


# --- Sites --------------------------------------------------------------------------------------


class CommuneRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField(source="department_id")


def site_status(site) -> str:
    if site.is_resorbed:
        return "resorbe"
    if site.is_closed:
        return "ferme"
    return "ouvert"


class SiteListSerializer(serializers.ModelSerializer):
    commune = CommuneRefSerializer()
    department_name = serializers.CharField(source="commune.department.name")
    status = serializers.SerializerMethodField(help_text=_("ouvert, ferme or resorbe."))

    class Meta:
        model = SitePage
        fields = [
            "id",
            "title",
            "name",
            "address",
            "commune",
            "department_name",
            "status",
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
        ]

    def get_status(self, site) -> str:
        return site_status(site)


class OwnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = SiteOwner
        fields = ["type", "name"]


class ClosingSolutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClosingSolution
        fields = ["solution_type", "people", "households"]


class ActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = SiteActor
        fields = ["user", "themes"]


class SiteDetailSerializer(serializers.ModelSerializer):
    """Every field of the site form; the owners and the justice fields only for readers with
    `site.access_owners` / `site.access_justice` on this site (absent otherwise)."""

    commune = CommuneRefSerializer()
    status = serializers.SerializerMethodField(help_text=_("ouvert, ferme or resorbe."))
    former_sites = serializers.SerializerMethodField(
        help_text=_("The former sites the reader may list (the others are not named).")
    )
    owners = OwnerSerializer(many=True, required=False)
    closing_solutions = ClosingSolutionSerializer(many=True)
    actors = ActorSerializer(many=True)
    latest_revision = serializers.IntegerField(
        source="latest_revision_id",
        allow_null=True,
        help_text=_("To send back as base_revision when updating (conflict detection)."),
    )

    class Meta:
        model = SitePage
        fields = [
            "id",
            "title",
            "status",
            *field_groups.SITE_FIELDS,
            "owners",
            "closing_solutions",
            "actors",
            "latest_revision",
        ]
        extra_kwargs = {name: {"required": False} for name in field_groups.JUSTICE_FIELDS}

    @property
    def _readable_fields(self):
        hidden = self.context.get("hidden_fields", set())
        for field in super()._readable_fields:
            if field.field_name not in hidden:
                yield field

    def get_status(self, site) -> str:
        return site_status(site)

    def get_former_sites(self, site) -> list[int]:
        reader = self.context["request"].user
        return list(
            SitePage.objects.live()
            .visible_to(reader)
            .filter(
                pk__in=SitePage.former_sites.through.objects.filter(
                    from_sitepage_id=site.pk
                ).values("to_sitepage_id")
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )


class RevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="revision.pk")
    created_at = serializers.DateTimeField()
    author = serializers.SerializerMethodField()
    is_first = serializers.BooleanField()
    changes = serializers.SerializerMethodField()

    def get_author(self, diff) -> str | None:
        return diff.author.get_full_name() if diff.author else None

    def get_changes(self, diff) -> list[dict]:
        return [
            {"field": c.name, "label": c.label, "before": c.before, "after": c.after}
            for c in diff.changes
        ]


# --- Tokens -------------------------------------------------------------------------------------
