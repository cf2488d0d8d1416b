"""Site writes through the API: the screens' forms (validation, French messages), permission
compositions (`sitepages.perms`) and services (`sitepages.services`), and the same conflict
rule — an update names the revision it was based on (`base_revision`, from the detail's
`latest_revision`); when others changed the same fields since, the answer is 409 with their
changes, and nothing is saved."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.forms_data import form_errors, merged_data
from api.serializers import SiteDetailSerializer
from api.views import PlatformApi, readable_site, site_detail_response
from directory import perms
from directory.permission_matrix import Feature
from sitepages import services
from sitepages.forms import ClosingForm, SiteForm
from sitepages.forms.children import child_formsets, form_fields
from sitepages.models import SitePage
from sitepages.perms import (
    can_close_site,
    can_edit_site,
    can_record_visit,
    drop_hidden_answers,
)


def _base_revision(payload):
    value = payload.pop("base_revision", None) if isinstance(payload, dict) else None
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"base_revision": [_("Enter a whole number.")]}) from exc


def conflict_response(conflict) -> Response:
    return Response(
        {
            "detail": _(
                "Someone else changed this site since your version: nothing was saved. "
                "Check their changes, then send yours again with the new base_revision."
            ),
            "latest_revision": conflict.latest_revision_id,
            "changes": [
                {"field": c.name, "label": c.label, "before": c.before, "after": c.after}
                for c in conflict.changes
            ],
        },
        status=status.HTTP_409_CONFLICT,
    )


def _valid(form, formsets) -> None:
    if not all([form.is_valid(), *(formset.is_valid() for formset in formsets.values())]):
        raise ValidationError(form_errors(form, formsets))


#: The schema's examples (tests/api/test_site_writes.py sends them and expects them accepted).
DECLARATION_EXAMPLE = {
    "name": "Terrain rue des Peupliers",
    "commune": "69123",
    "declared_at": "2026-11-30",
    "people": 35,
    "households": 9,
    "owners": [{"type": "public", "name": "Mairie"}],
}
UPDATE_EXAMPLE = {"people": 42, "households": 11, "base_revision": 1234}
FORM_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=gettext_lazy("The fields refused, with the French messages of the form."),
    examples=[
        OpenApiExample(
            gettext_lazy("Errors"),
            value={
                "people": ["Saisissez un nombre entier."],
                "commune": ["Ce champ est obligatoire."],
            },
        )
    ],
)


@extend_schema(
    tags=["sites"],
    summary=gettext_lazy("Declare a site (the fields of the declaration form)"),
    request=OpenApiTypes.OBJECT,
    responses={201: SiteDetailSerializer, 400: FORM_ERRORS},
    examples=[
        OpenApiExample(
            gettext_lazy("A declaration"),
            value=DECLARATION_EXAMPLE,
            request_only=True,
            description=gettext_lazy(
                "The commune is its INSEE code; owners replace the list when sent."
            ),
        )
    ],
)
class SiteCreate(PlatformApi, generics.GenericAPIView):
    serializer_class = SiteDetailSerializer

    def post(self, request):
        if not perms.can(request.user, Feature.SITE_CREATE):
            raise PermissionDenied
        payload = dict(request.data) if isinstance(request.data, dict) else request.data
        site = SitePage()
        probe = SiteForm(instance=site, user=request.user, feature=Feature.SITE_CREATE)
        data = merged_data(probe, payload, child_formsets(probe, instance=site))
        form = SiteForm(data, instance=site, user=request.user, feature=Feature.SITE_CREATE)
        formsets = child_formsets(form, data, instance=site)
        _valid(form, formsets)
        for formset in formsets.values():
            formset.save(commit=False)
        form.apply_relations()
        drop_hidden_answers(site, request.user)
        services.create_site(site=site, user=request.user)
        return site_detail_response(request, site.pk, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["sites"],
    summary=gettext_lazy(
        "Update a site: only the fields sent change; base_revision detects conflicts"
    ),
    request=OpenApiTypes.OBJECT,
    responses={
        200: SiteDetailSerializer,
        400: FORM_ERRORS,
        409: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=gettext_lazy(
                "Someone changed the same fields since base_revision: their changes and the "
                "latest revision; nothing was saved."
            ),
        ),
    },
    examples=[
        OpenApiExample(
            gettext_lazy("A new population count"),
            value=UPDATE_EXAMPLE,
            request_only=True,
            description=gettext_lazy(
                "base_revision: the latest_revision of the detail the change is based on."
            ),
        )
    ],
)
class SiteUpdate(PlatformApi, generics.GenericAPIView):
    serializer_class = SiteDetailSerializer

    def patch(self, request, pk):
        site = readable_site(request, pk)
        if not can_edit_site(request.user, site):
            raise PermissionDenied
        payload = dict(request.data) if isinstance(request.data, dict) else request.data
        base_revision = _base_revision(payload)

        def fields(state):
            probe = SiteForm(instance=state, user=request.user)
            return form_fields(probe, child_formsets(probe, instance=state))

        def change(state):
            probe = SiteForm(instance=state, user=request.user)
            data = merged_data(probe, payload, child_formsets(probe, instance=state))
            form = SiteForm(data, instance=state, user=request.user)
            formsets = child_formsets(form, data, instance=state)
            _valid(form, formsets)  # a 400, and the transaction saves nothing
            for formset in formsets.values():
                formset.save(commit=False)
            form.apply_relations()

        # As on the screen: from reading the latest state to publishing, under the site's lock.
        outcome = services.change_site(
            site=site,
            user=request.user,
            change=change,
            base_revision_id=base_revision,
            fields=fields,
            reader=request.user,
            allowed=lambda locked: can_edit_site(request.user, locked),
        )
        if outcome.conflict:
            return conflict_response(outcome.conflict)
        return site_detail_response(request, site.pk)


@extend_schema(
    tags=["sites"],
    summary=gettext_lazy("Record a visit: the site was seen, nothing changed"),
    request=None,
    responses={200: SiteDetailSerializer},
)
class SiteVisit(PlatformApi, generics.GenericAPIView):
    serializer_class = SiteDetailSerializer

    def post(self, request, pk):
        site = readable_site(request, pk)
        if not can_record_visit(request.user, site):
            raise PermissionDenied
        services.record_visit(site=site, user=request.user)
        return site_detail_response(request, site.pk)


@extend_schema(
    tags=["sites"],
    summary=gettext_lazy("Close a site, or correct its closing (the closing form's fields)"),
    request=OpenApiTypes.OBJECT,
    responses={200: SiteDetailSerializer},
)
class SiteClose(PlatformApi, generics.GenericAPIView):
    serializer_class = SiteDetailSerializer

    def post(self, request, pk):
        site = readable_site(request, pk)
        if not can_close_site(request.user, site):
            raise PermissionDenied
        payload = dict(request.data) if isinstance(request.data, dict) else request.data
        base_revision = _base_revision(payload)

        def change(state):
            form = ClosingForm(merged_data(ClosingForm(instance=state), payload), instance=state)
            if not form.is_valid():
                raise ValidationError(form_errors(form))  # a 400, nothing saved

        outcome = services.change_site(
            site=site,
            user=request.user,
            change=change,
            base_revision_id=base_revision,
            fields=[*ClosingForm._meta.fields, "closing_solutions"],
            reader=request.user,
            allowed=lambda locked: can_close_site(request.user, locked),
        )
        if outcome.conflict:
            return conflict_response(outcome.conflict)
        return site_detail_response(request, site.pk)
