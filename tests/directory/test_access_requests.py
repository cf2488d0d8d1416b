"""Access requests: the public form, routing to the deciders, approval and refusal, activation,
reminders and expiry, and what happens with malformed input."""

import re
from datetime import timedelta
from io import StringIO
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from directory import perms
from directory.enums import (
    AccessRequestStatus,
    OrganizationCategory,
    Role,
    TerritoryLevel,
    UserStatus,
)
from directory.forms_access import normalize_phone
from directory.models import AccessRequest, InterventionArea, Organization, OrganizationType, User
from directory.services import access_requests as services
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "une-phrase-de-passe-solide"
ACTIVATION_LINK_RE = re.compile(r"https?://[^/\s]+(/activation/[^/\s]+/)")


@pytest.fixture(autouse=True)
def empty_cache():
    cache = caches["shared"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places():
    region = RegionFactory(code="11", name="Île-de-France")
    other_region = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    return {
        "region": region,
        "d93": DepartmentFactory(code="93", name="Seine-Saint-Denis", region=region),
        "d94": DepartmentFactory(code="94", name="Val-de-Marne", region=region),
        "d95": DepartmentFactory(code="95", name="Val-d’Oise", region=region),
        "d69": DepartmentFactory(code="69", name="Rhône", region=other_region),
        "saint_denis": CommuneFactory(
            code="93066", name="Saint-Denis", department_id="93", epci=None
        ),
    }


def make_admin(role, territory=None, **kwargs):
    admin = UserFactory(role=role, **kwargs)
    give_area(admin, territory)
    return admin


@pytest.fixture
def admins(places):
    return {
        "local93": make_admin(Role.LOCAL_ADMIN, places["d93"], email="admin93@exemple.test"),
        "local94": make_admin(Role.LOCAL_ADMIN, places["d94"], email="admin94@exemple.test"),
        "national": make_admin(Role.NATIONAL_ADMIN, None, email="national@exemple.test"),
    }


@pytest.fixture
def organization():
    return OrganizationFactory(name="Les Enfants du Canal")


def form_data(**overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille.martin@asso.test",
        "email_confirmation": "camille.martin@asso.test",
        "phone": "01 23 45 67 89",
        "organization_kind": "existing",
        "organization": "",
        "new_organization_name": "",
        "new_organization_category": "",
        "new_organization_type": "",
        "position": "Coordinatrice",
        "territory_scope": "local",
        "territory": "department:93",
        "reason": "Je coordonne l’accompagnement social sur deux sites de la commune.",
        "consent": "on",
        "extra_info": "",
    }
    data.update(overrides)
    return data


def make_request(territory=None, **kwargs):
    """A pending request (by default from a new association), recorded without the form."""
    values = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille.martin@asso.test",
        "position": "Coordinatrice",
        "reason": "Accompagnement social.",
        **kwargs,
    }
    if "organization" not in kwargs:
        values["organization"] = OrganizationFactory()
    access_request = AccessRequest(**values)
    services._set_territory(access_request, territory)
    access_request.save()
    return access_request


def queued_emails(to=None):
    """The keyword arguments of the queued `send_email` tasks (optionally for one address)."""
    rows = DBTaskResult.objects.filter(task_path="core.tasks.send_email").order_by("enqueued_at")
    emails = [row.args_kwargs["kwargs"] for row in rows]
    return [email for email in emails if to is None or email["to"] == [to]]


def activation_path_from(email_kwargs) -> str:
    return ACTIVATION_LINK_RE.search(email_kwargs["body"]).group(1)


# --- The public form ----------------------------------------------------------------------------


def test_the_form_is_public_and_linked_from_the_login_page(client):
    assert client.get(reverse("access_request_create")).status_code == 200
    login_page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("access_request_create")}"' in login_page


def test_a_logged_in_user_is_sent_to_the_dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("access_request_create"))
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_a_valid_request_is_recorded_acknowledged_and_routed(client, places, admins, organization):
    response = client.post(
        reverse("access_request_create"),
        form_data(
            organization=organization.pk,
            email="Camille.Martin@Asso.test",
            email_confirmation="camille.martin@asso.TEST",
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("access_request_done")
    assert client.get(response.url).status_code == 200

    access_request = AccessRequest.objects.get()
    assert access_request.email == "camille.martin@asso.test"
    assert access_request.status == AccessRequestStatus.PENDING
    assert access_request.organization == organization
    assert access_request.territory_level == TerritoryLevel.DEPARTMENT
    assert access_request.department == places["d93"]
    assert access_request.phone == "01 23 45 67 89"

    emails = queued_emails()
    assert sorted(email["to"][0] for email in emails) == [
        "admin93@exemple.test",
        "camille.martin@asso.test",
    ]
    (to_decider,) = queued_emails("admin93@exemple.test")
    detail_url = reverse("access_request_detail", kwargs={"pk": access_request.pk})
    assert f"http://testserver{detail_url}" in to_decider["body"]
    assert f"http://testserver{detail_url}" in to_decider["html_body"]
    (receipt,) = queued_emails("camille.martin@asso.test")
    assert receipt["html_body"] and "Camille" in receipt["body"]


def test_a_new_organisation_and_a_national_scope(client, admins):
    association = OrganizationType.objects.get(name="Association")
    response = client.post(
        reverse("access_request_create"),
        form_data(
            organization_kind="new",
            new_organization_name="Solidarité Bidonvilles",
            new_organization_category=OrganizationCategory.ASSOCIATION,
            new_organization_type=association.pk,
            territory_scope="national",
            territory="",
        ),
    )
    assert response.status_code == 302
    access_request = AccessRequest.objects.get()
    assert access_request.organization is None
    assert access_request.new_organization_name == "Solidarité Bidonvilles"
    assert access_request.new_organization_type == association
    assert access_request.territory_level == TerritoryLevel.NATION
    assert access_request.territory is None
    assert [email["to"] for email in queued_emails("national@exemple.test")] == [
        ["national@exemple.test"]
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"email_confirmation": "autre@asso.test"}, "email_confirmation", "email_mismatch"),
        ({"phone": "12345"}, "phone", "phone"),
        ({"phone": "+44 20 7946 0958"}, "phone", "phone"),
        ({"organization": ""}, "organization", "required"),
        ({"territory": ""}, "territory", "required"),
        ({"territory": "department:ZZ"}, "territory", "unknown"),
        ({"consent": ""}, "consent", "required"),
        ({"reason": "x" * 3001}, "reason", "max_length"),
        ({"organization_kind": "new"}, "new_organization_name", "required"),
    ],
)
def test_invalid_requests_are_explained(client, places, organization, overrides, field, code):
    data = form_data(organization=organization.pk)
    data.update(overrides)
    response = client.post(reverse("access_request_create"), data)
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code), response.context["form"].errors
    assert 'class="fr-alert fr-alert--error' in response.content.decode()
    assert not AccessRequest.objects.exists()
    assert queued_emails() == []


def test_answers_changed_since_leave_no_error(client, places, organization):
    """Fields of the answer not chosen are ignored, whatever they hold."""
    response = client.post(
        reverse("access_request_create"),
        form_data(
            organization=organization.pk,
            new_organization_name="Oubliée",
            new_organization_type="abc",
            new_organization_category="mars",
            territory_scope="national",
            territory="department:ZZ",
        ),
    )
    assert response.status_code == 302
    access_request = AccessRequest.objects.get()
    assert access_request.organization == organization
    assert access_request.new_organization_name == ""
    assert access_request.new_organization_type is None
    assert access_request.territory_level == TerritoryLevel.NATION


def test_new_organisation_type_must_match_the_category(client, places):
    commune_type = OrganizationType.objects.get(name="Commune")
    response = client.post(
        reverse("access_request_create"),
        form_data(
            organization_kind="new",
            new_organization_name="Mairie de Nulle-Part",
            new_organization_category=OrganizationCategory.ASSOCIATION,
            new_organization_type=commune_type.pk,
        ),
    )
    assert response.context["form"].has_error("new_organization_type", "type_category_mismatch")


def test_a_new_organisation_that_already_exists_is_refused(client, places, organization):
    response = client.post(
        reverse("access_request_create"),
        form_data(
            organization_kind="new",
            new_organization_name="les enfants du canal",
            new_organization_category=OrganizationCategory.ASSOCIATION,
            new_organization_type=organization.type_id,
        ),
    )
    assert response.context["form"].has_error("new_organization_name", "organization_exists")


def test_an_inactive_organisation_cannot_be_chosen(client, places):
    closed = OrganizationFactory(is_active=False)
    response = client.post(reverse("access_request_create"), form_data(organization=closed.pk))
    assert response.context["form"].has_error("organization", "invalid_choice")


def test_an_email_refused_before_may_ask_again(client, places, organization):
    make_request(places["d93"], status=AccessRequestStatus.REFUSED)
    response = client.post(
        reverse("access_request_create"), form_data(organization=organization.pk)
    )
    assert response.status_code == 302
    assert AccessRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("0123456789", "01 23 45 67 89"),
        ("01.23.45.67.89", "01 23 45 67 89"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("+33 (0)6 12 34 56 78", "06 12 34 56 78"),
        ("0033612345678", "06 12 34 56 78"),
        ("+262 692 12 34 56", "06 92 12 34 56"),
    ],
)
def test_french_phone_numbers_are_normalized(raw, normalized):
    assert normalize_phone(raw) == normalized


@pytest.mark.parametrize("raw", ["", "00000", "0023456789", "+1 555 123 4567", "06 12 34 56 7a"])
def test_other_phone_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        normalize_phone(raw)


# --- Spam defences ------------------------------------------------------------------------------


def test_the_honeypot_pretends_success_and_keeps_nothing(client, places, admins, organization):
    response = client.post(
        reverse("access_request_create"),
        form_data(organization=organization.pk, extra_info="http://spam.example"),
    )
    assert response.status_code == 302
    assert response.url == reverse("access_request_done")
    assert not AccessRequest.objects.exists()
    assert queued_emails() == []


def test_the_honeypot_is_hidden_from_people(client):
    html = client.get(reverse("access_request_create")).content.decode()
    field = re.search(r'<div class="fr-hidden" aria-hidden="true">.*?</div>', html, re.S).group()
    assert 'name="extra_info"' in field and 'tabindex="-1"' in field


def test_five_requests_per_hour_from_one_address(client, places, organization):
    for number in range(5):
        email = f"personne{number}@asso.test"
        response = client.post(
            reverse("access_request_create"),
            form_data(organization=organization.pk, email=email, email_confirmation=email),
            REMOTE_ADDR="203.0.113.7",
        )
        assert response.status_code == 302
    email = "sixieme@asso.test"
    data = form_data(organization=organization.pk, email=email, email_confirmation=email)
    response = client.post(reverse("access_request_create"), data, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert [t.name for t in response.templates][0] == "rate_limited.html"
    html = response.content.decode()
    assert "Trop de demandes d’accès ont été envoyées depuis votre connexion" in html
    assert "Si vous avez déjà envoyé une demande, inutile de la renvoyer" in html
    assert AccessRequest.objects.count() == 5
    # Another address is not held back.
    response = client.post(reverse("access_request_create"), data, REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 302


def test_honeypot_hits_count_towards_the_address_limit(client, places, organization):
    for _ in range(5):
        client.post(
            reverse("access_request_create"),
            form_data(organization=organization.pk, extra_info="spam"),
            REMOTE_ADDR="203.0.113.9",
        )
    response = client.post(
        reverse("access_request_create"),
        form_data(organization=organization.pk),
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 429
    assert not AccessRequest.objects.exists()


def test_three_requests_per_day_for_one_email(client, places, organization):
    data = form_data(organization=organization.pk)
    for number in range(3):
        response = client.post(
            reverse("access_request_create"), data, REMOTE_ADDR=f"198.51.100.{number}"
        )
        assert response.status_code == 302
        AccessRequest.objects.update(status=AccessRequestStatus.REFUSED)
    response = client.post(reverse("access_request_create"), data, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert AccessRequest.objects.count() == 3


# --- Routing to the deciders --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("territory_key", "expected"),
    [
        ("d93", ["admin93@exemple.test"]),  # local admins of the department
        ("saint_denis", ["admin93@exemple.test"]),  # a commune: its department's admins
        ("d95", ["national@exemple.test"]),  # no local admin there: national admins
        ("region", ["national@exemple.test"]),  # regional request: national admins
        (None, ["national@exemple.test"]),  # national request: national admins
    ],
)
def test_deciders(places, admins, territory_key, expected):
    access_request = make_request(places[territory_key] if territory_key else None)
    deciders = perms.access_request_deciders(access_request)
    assert sorted(decider.email for decider in deciders) == expected


def test_an_inactive_local_admin_does_not_decide(places, admins):
    admins["local93"].status = UserStatus.INACTIVE
    admins["local93"].save()
    access_request = make_request(places["d93"])
    assert [user.email for user in perms.access_request_deciders(access_request)] == [
        "national@exemple.test"
    ]


def test_each_admin_sees_only_the_requests_they_may_decide(client, places, admins):
    in_93 = make_request(places["d93"], email="a@asso.test")
    in_94 = make_request(places["d94"], email="b@asso.test")
    national = make_request(None, email="c@asso.test")

    def listed(admin):
        client.force_login(admin)
        response = client.get(reverse("access_request_list"))
        assert response.status_code == 200
        return {access_request.pk for access_request in response.context["page_obj"]}

    assert listed(admins["local93"]) == {in_93.pk}
    assert listed(admins["local94"]) == {in_94.pk}
    assert listed(admins["national"]) == {in_93.pk, in_94.pk, national.pk}


def test_an_admin_outside_the_territory_can_neither_see_nor_decide(client, places, admins):
    access_request = make_request(places["d93"])
    client.force_login(admins["local94"])
    detail = reverse("access_request_detail", kwargs={"pk": access_request.pk})
    assert client.get(detail).status_code == 404
    approve = reverse("access_request_approve", kwargs={"pk": access_request.pk})
    assert client.post(approve, {"role": Role.OPERATEUR}).status_code == 404
    refuse = reverse("access_request_refuse", kwargs={"pk": access_request.pk})
    assert client.post(refuse, {"message": "Non."}).status_code == 404
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.PENDING
    assert not User.objects.filter(email=access_request.email).exists()


def test_a_local_admin_cannot_decide_a_national_request(places, admins):
    access_request = make_request(None)
    assert not perms.can_decide_access_request(admins["local93"], access_request)
    assert perms.can_decide_access_request(admins["national"], access_request)
    with pytest.raises(PermissionDenied):
        services.approve_access_request(
            access_request=access_request, admin=admins["local93"], role=Role.OPERATEUR
        )


def test_the_admin_screens_are_for_admins_only(client, places):
    access_request = make_request(places["d93"])
    urls = [
        reverse("access_request_list"),
        reverse("access_request_detail", kwargs={"pk": access_request.pk}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    regular = UserFactory(role=Role.CORRESPONDANT)
    give_area(regular, places["d93"])
    client.force_login(regular)
    for url in urls:
        assert client.get(url).status_code == 403
    approve = reverse("access_request_approve", kwargs={"pk": access_request.pk})
    assert client.post(approve, {"role": Role.OPERATEUR}).status_code == 403


def test_the_list_filters_counts_and_paginates(client, places, admins):
    for number in range(30):
        make_request(places["d93"], email=f"personne{number}@asso.test")
    make_request(places["d93"], email="refuse@asso.test", status=AccessRequestStatus.REFUSED)
    client.force_login(admins["local93"])

    response = client.get(reverse("access_request_list"))
    assert response.context["status"] == AccessRequestStatus.PENDING
    assert response.context["page_obj"].paginator.count == 30
    assert len(response.context["page_obj"]) == 25
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts[AccessRequestStatus.PENDING] == 30
    assert counts[AccessRequestStatus.REFUSED] == 1
    assert response.context["total"] == 31

    page_2 = client.get(reverse("access_request_list"), {"page": 2})
    assert len(page_2.context["page_obj"]) == 5
    refused = client.get(reverse("access_request_list"), {"status": "refused"})
    assert [r.email for r in refused.context["page_obj"]] == ["refuse@asso.test"]
    every = client.get(reverse("access_request_list"), {"status": "all"})
    assert every.context["page_obj"].paginator.count == 31
    search = client.get(reverse("access_request_list"), {"status": "all", "q": "personne7"})
    assert [r.email for r in search.context["page_obj"]] == ["personne7@asso.test"]


def test_the_dashboard_links_to_the_list(client, admins):
    client.force_login(admins["local93"])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert f'href="{reverse("access_request_list")}"' in response.content.decode()


# --- Decisions ----------------------------------------------------------------------------------


def approve(client, access_request, role):
    return client.post(
        reverse("access_request_approve", kwargs={"pk": access_request.pk}), {"role": role}
    )


def test_approval_creates_the_account_and_sends_the_activation_link(client, places, admins):
    organization = OrganizationFactory()  # type Association: members are usually operators
    access_request = make_request(places["saint_denis"], organization=organization, phone="0612")
    client.force_login(admins["local93"])

    detail = client.get(reverse("access_request_detail", kwargs={"pk": access_request.pk}))
    assert detail.status_code == 200
    assert detail.context["approve_form"]["role"].initial == Role.OPERATEUR
    role_choices = [
        value for value, _label in detail.context["approve_form"].fields["role"].choices
    ]
    assert Role.NATIONAL_ADMIN not in role_choices

    response = approve(client, access_request, Role.OPERATEUR)
    assert response.status_code == 302
    assert response.url == reverse("access_request_detail", kwargs={"pk": access_request.pk})

    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.APPROVED
    assert access_request.decided_by == admins["local93"]
    assert access_request.decided_at and access_request.activation_sent_at
    user = access_request.user
    assert user.email == "camille.martin@asso.test"
    assert user.status == UserStatus.NEW
    assert not user.has_usable_password()
    assert user.role == Role.OPERATEUR
    assert user.organization == organization
    assert user.phone == "0612"
    area = InterventionArea.objects.get(user=user)
    assert area.is_main and area.level == TerritoryLevel.COMMUNE
    assert area.commune == places["saint_denis"]

    entry = ModelLogEntry.objects.get(action=services.ACTION_APPROVE)
    assert entry.object_id == str(access_request.pk)
    assert entry.user_id == admins["local93"].pk
    assert entry.data["role"] == Role.OPERATEUR

    (email,) = queued_emails("camille.martin@asso.test")
    assert email["headers"] == {"Reply-To": "admin93@exemple.test"}
    path = activation_path_from(email)
    assert path == services.activation_path(access_request)
    assert path in email["html_body"]


def test_approval_creates_a_new_organisation(client, places, admins):
    ccas = OrganizationType.objects.get(abbreviation="CCAS")
    access_request = make_request(
        places["d93"],
        organization=None,
        new_organization_name="CCAS de Bobigny",
        new_organization_category=OrganizationCategory.PUBLIC_ESTABLISHMENT,
        new_organization_type=ccas,
    )
    client.force_login(admins["local93"])
    detail = client.get(reverse("access_request_detail", kwargs={"pk": access_request.pk}))
    assert detail.context["approve_form"]["role"].initial == ccas.default_role

    assert approve(client, access_request, Role.PARTENAIRE_INSTITUTIONNEL).status_code == 302
    organization = Organization.objects.get(name="CCAS de Bobigny")
    assert organization.is_active
    assert organization.type == ccas
    assert organization.category == OrganizationCategory.PUBLIC_ESTABLISHMENT
    assert InterventionArea.objects.get(organization=organization).department == places["d93"]
    access_request.refresh_from_db()
    assert access_request.organization == organization
    assert access_request.user.organization == organization


def test_a_local_admin_cannot_give_the_national_admin_role(client, places, admins):
    access_request = make_request(places["d93"])
    client.force_login(admins["local93"])
    response = approve(client, access_request, Role.NATIONAL_ADMIN)
    assert response.status_code == 200
    assert response.context["approve_form"].has_error("role", "invalid_choice")
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.PENDING
    assert not User.objects.filter(email=access_request.email).exists()


def test_a_request_is_decided_once(client, places, admins):
    access_request = make_request(places["d93"])
    client.force_login(admins["local93"])
    assert approve(client, access_request, Role.OPERATEUR).status_code == 302
    DBTaskResult.objects.all().delete()
    client.force_login(admins["national"])
    response = approve(client, access_request, Role.CORRESPONDANT)
    assert response.status_code == 302  # back to the request, with an error message
    refuse = reverse("access_request_refuse", kwargs={"pk": access_request.pk})
    assert client.post(refuse, {"message": "Trop tard."}).status_code == 302
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.APPROVED
    assert access_request.user.role == Role.OPERATEUR
    assert User.objects.filter(email=access_request.email).count() == 1
    assert queued_emails() == []


def test_approval_is_refused_when_an_account_appeared_meanwhile(client, places, admins):
    access_request = make_request(places["d93"])
    UserFactory(email=access_request.email.upper())
    client.force_login(admins["local93"])
    assert approve(client, access_request, Role.OPERATEUR).status_code == 302
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.PENDING


def test_refusal_needs_a_message_and_sends_it(client, places, admins):
    access_request = make_request(places["d93"])
    client.force_login(admins["local93"])
    url = reverse("access_request_refuse", kwargs={"pk": access_request.pk})

    for empty in ({}, {"message": ""}, {"message": "   "}):
        response = client.post(url, empty)
        assert response.status_code == 200
        assert response.context["refuse_form"].has_error("message")
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.PENDING

    message = "Votre structure n’intervient pas en Seine-Saint-Denis."
    assert client.post(url, {"message": message}).status_code == 302
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.REFUSED
    assert access_request.decision_message == message
    assert access_request.decided_by == admins["local93"]
    assert access_request.user is None
    entry = ModelLogEntry.objects.get(action=services.ACTION_REFUSE)
    assert entry.data["message"] == message
    (email,) = queued_emails("camille.martin@asso.test")
    assert message in email["body"]
    assert "Seine-Saint-Denis" in email["html_body"]
    assert email["headers"] == {"Reply-To": "admin93@exemple.test"}


# --- Activation ---------------------------------------------------------------------------------


@pytest.fixture
def approved(places, admins):
    access_request = make_request(places["d93"])
    services.approve_access_request(
        access_request=access_request, admin=admins["local93"], role=Role.OPERATEUR
    )
    access_request.refresh_from_db()
    DBTaskResult.objects.all().delete()
    return access_request


def activate(client, path, password=GOOD_PASSWORD, confirmation=None):
    return client.post(path, {"new_password1": password, "new_password2": confirmation or password})


def test_activation_sets_the_password_logs_in_then_asks_for_the_charter(client, approved):
    path = services.activation_path(approved)
    page = client.get(path)
    assert page.status_code == 200
    assert page.context["account"] == approved.user

    response = activate(client, path)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = User.objects.get(pk=approved.user_id)
    assert user.status == UserStatus.ACTIVE
    assert user.check_password(GOOD_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk
    approved.refresh_from_db()
    assert approved.status == AccessRequestStatus.ACTIVATED
    assert approved.activated_at is not None
    assert ModelLogEntry.objects.filter(action=services.ACTION_ACTIVATE).count() == 1
    # The charter gate takes over.
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 302
    assert dashboard.url.startswith(reverse("charter"))


@pytest.mark.parametrize(
    ("password", "confirmation", "field"),
    [
        ("court", None, "new_password2"),  # too short
        ("123456789012345", None, "new_password2"),  # numeric
        ("password12345", None, "new_password2"),  # common
        (GOOD_PASSWORD, "une-autre-phrase-de-passe", "new_password2"),  # mismatch
        ("", None, "new_password1"),
        ("x" * 10_000, None, None),
    ],
)
def test_activation_validates_the_password(client, approved, password, confirmation, field):
    response = activate(client, services.activation_path(approved), password, confirmation)
    if response.status_code == 302:  # 10,000 characters are a valid (if odd) password
        assert field is None
        return
    assert response.status_code == 200
    if field:
        assert response.context["form"].has_error(field)
    assert User.objects.get(pk=approved.user_id).status == UserStatus.NEW


def test_the_activation_link_works_once(client, approved):
    path = services.activation_path(approved)
    assert activate(client, path).status_code == 302
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert again.context["state"] == services.ActivationState.USED
    assert activate(client, path, "encore-une-autre-phrase").status_code == 410
    assert User.objects.get(pk=approved.user_id).check_password(GOOD_PASSWORD)


def test_the_activation_link_expires_after_8_days(client, approved):
    path = services.activation_path(approved)
    sent_at = timezone.now() - timedelta(days=8) + timedelta(minutes=5)
    AccessRequest.objects.filter(pk=approved.pk).update(activation_sent_at=sent_at)
    approved.refresh_from_db()
    path = services.activation_path(approved)
    assert client.get(path).status_code == 200  # 7 days 23 h 55 min: still valid

    sent_at = timezone.now() - timedelta(days=8, minutes=1)
    AccessRequest.objects.filter(pk=approved.pk).update(activation_sent_at=sent_at)
    approved.refresh_from_db()
    path = services.activation_path(approved)
    response = client.get(path)
    assert response.status_code == 410
    assert response.context["state"] == services.ActivationState.EXPIRED
    assert activate(client, path).status_code == 410
    assert User.objects.get(pk=approved.user_id).status == UserStatus.NEW


def test_a_new_link_replaces_the_old_one(client, approved, admins):
    old_path = services.activation_path(approved)
    AccessRequest.objects.filter(pk=approved.pk).update(
        activation_sent_at=approved.activation_sent_at - timedelta(days=1)
    )
    approved.refresh_from_db()
    old_path = services.activation_path(approved)
    client.force_login(admins["local93"])
    resend = reverse("access_request_resend", kwargs={"pk": approved.pk})
    assert client.post(resend).status_code == 302
    client.logout()
    approved.refresh_from_db()
    new_path = services.activation_path(approved)
    assert new_path != old_path
    assert client.get(old_path).status_code == 410
    assert client.get(new_path).status_code == 200
    (email,) = queued_emails("camille.martin@asso.test")
    assert activation_path_from(email) == new_path
    assert ModelLogEntry.objects.filter(action=services.ACTION_RESEND_ACTIVATION).count() == 1


@pytest.mark.parametrize(
    "token",
    ["x", "x" * 10_000, "<script>alert(1)<script>", "' OR 1=1 --", "WzEsMl0:abc:def", "%00"],
)
def test_bad_activation_tokens_give_a_clear_404(client, approved, token):
    response = client.get("/activation/" + quote(token, safe="") + "/")
    assert response.status_code == 404
    assert response.context["state"] == services.ActivationState.INVALID


def test_a_token_with_a_slash_is_not_found(client, approved):
    assert (
        client.get("/activation/" + quote("<script>x</script>", safe="") + "/").status_code == 404
    )


def test_a_tampered_token_is_refused(client, approved):
    token = services.activation_token(approved)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(reverse("account_activate", kwargs={"token": tampered}))
    assert response.status_code == 404


# --- Reminders and expiry -----------------------------------------------------------------------


def run_reminders():
    out = StringIO()
    call_command("access_request_reminders", stdout=out)
    return out.getvalue()


def age(access_request, **delta):
    AccessRequest.objects.filter(pk=access_request.pk).update(
        created_at=timezone.now() - timedelta(**delta)
    )


def test_deciders_are_reminded_at_3_then_10_days_once_each(places, admins):
    young = make_request(places["d93"], email="young@asso.test")
    access_request = make_request(places["d93"])
    age(young, days=2, hours=23)
    age(access_request, days=3, minutes=1)

    output = run_reminders()
    assert "1 reminder(s) to deciders" in output
    (email,) = queued_emails("admin93@exemple.test")
    assert reverse("access_request_detail", kwargs={"pk": access_request.pk}) in email["body"]
    assert run_reminders().startswith("0 reminder(s) to deciders")
    assert len(queued_emails()) == 1

    age(access_request, days=10, minutes=1)
    run_reminders()
    run_reminders()
    assert len(queued_emails("admin93@exemple.test")) == 2
    access_request.refresh_from_db()
    assert access_request.admin_reminders_sent == 2
    young.refresh_from_db()
    assert young.admin_reminders_sent == 0

    age(access_request, days=30)
    run_reminders()
    assert len(queued_emails()) == 2  # nothing after the second reminder


def test_a_request_first_seen_late_gets_only_the_second_reminder(places, admins):
    access_request = make_request(places["d95"])  # no local admin: the national admins
    age(access_request, days=11)
    run_reminders()
    run_reminders()
    assert [email["to"] for email in queued_emails()] == [["national@exemple.test"]]
    access_request.refresh_from_db()
    assert access_request.admin_reminders_sent == 2


def test_decided_requests_are_not_reminded(places, admins):
    access_request = make_request(places["d93"], status=AccessRequestStatus.REFUSED)
    age(access_request, days=5)
    run_reminders()
    assert queued_emails() == []


def sent(access_request, **delta):
    AccessRequest.objects.filter(pk=access_request.pk).update(
        activation_sent_at=timezone.now() - timedelta(**delta)
    )
    access_request.refresh_from_db()


def test_the_applicant_is_reminded_5_days_after_the_approval_once(approved):
    sent(approved, days=4, hours=23)
    run_reminders()
    assert queued_emails() == []

    sent(approved, days=5, minutes=1)
    output = run_reminders()
    assert "1 reminder(s) to applicants" in output
    run_reminders()
    (email,) = queued_emails()
    assert email["to"] == ["camille.martin@asso.test"]
    assert activation_path_from(email) == services.activation_path(approved)
    approved.refresh_from_db()
    assert approved.user_reminder_sent_at is not None


def test_an_unused_link_expires_after_8_days_and_both_sides_are_told(client, approved):
    sent(approved, days=8, minutes=1)
    output = run_reminders()
    assert "1 request(s) expired" in output
    assert run_reminders().endswith("0 request(s) expired.\n")

    approved.refresh_from_db()
    assert approved.status == AccessRequestStatus.EXPIRED
    assert approved.expiry_notified_at is not None
    recipients = sorted(email["to"][0] for email in queued_emails())
    assert recipients == ["admin93@exemple.test", "camille.martin@asso.test"]
    (to_decider,) = queued_emails("admin93@exemple.test")
    assert reverse("access_request_detail", kwargs={"pk": approved.pk}) in to_decider["body"]
    (to_applicant,) = queued_emails("camille.martin@asso.test")
    assert not ACTIVATION_LINK_RE.search(to_applicant["body"])
    assert to_applicant["headers"] == {"Reply-To": "admin93@exemple.test"}
    assert client.get(services.activation_path(approved)).status_code == 410


def test_an_expired_request_can_get_a_new_link(client, approved, admins):
    sent(approved, days=9)
    run_reminders()
    DBTaskResult.objects.all().delete()
    client.force_login(admins["local93"])
    detail = client.get(reverse("access_request_detail", kwargs={"pk": approved.pk}))
    assert detail.context["can_resend"]
    client.post(reverse("access_request_resend", kwargs={"pk": approved.pk}))
    approved.refresh_from_db()
    assert approved.status == AccessRequestStatus.APPROVED
    assert approved.expiry_notified_at is None and approved.user_reminder_sent_at is None
    client.logout()
    assert client.get(services.activation_path(approved)).status_code == 200


def test_activated_accounts_get_no_reminder(client, approved):
    assert activate(client, services.activation_path(approved)).status_code == 302
    sent(approved, days=20)
    run_reminders()
    assert queued_emails() == []
    approved.refresh_from_db()
    assert approved.status == AccessRequestStatus.ACTIVATED


# --- Malformed input: French errors or 4xx, never a 500 -----------------------------------------

LONG = "x" * 10_000
SCRIPT = "<script>alert('x')</script>"
SQL = "'; DROP TABLE directory_user; --"
ALL_FIELDS = list(form_data())


@pytest.mark.parametrize(
    "payload",
    [
        {},
        dict.fromkeys(ALL_FIELDS, ""),
        {field: LONG for field in ALL_FIELDS if field != "extra_info"},
        {field: SQL for field in ALL_FIELDS if field != "extra_info"},
        {field: SCRIPT for field in ALL_FIELDS if field != "extra_info"},
        form_data(organization="abc", territory="department:<b>", new_organization_type="1.5"),
        form_data(organization="99999999999999999999", territory_scope="mars"),
        form_data(organization_kind="both", territory="epci:" + "9" * 50),
        form_data(organization="-1", territory="nation:FR", email="pas-une-adresse"),
        form_data(territory="commune:\x00", first_name="a\x00b"),
    ],
)
def test_malformed_requests_get_french_errors(client, places, payload):
    response = client.post(reverse("access_request_create"), payload)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AccessRequest.objects.exists()
    html = response.content.decode()
    assert SCRIPT not in html


def test_markup_in_a_valid_request_is_escaped_everywhere(client, places, admins, organization):
    email = "script@asso.test"
    response = client.post(
        reverse("access_request_create"),
        form_data(
            organization=organization.pk,
            first_name=SCRIPT,
            last_name=SQL,
            position=SCRIPT,
            reason=SCRIPT,
            email=email,
            email_confirmation=email,
        ),
    )
    assert response.status_code == 302
    access_request = AccessRequest.objects.get()
    assert access_request.first_name == SCRIPT and access_request.last_name == SQL
    for queued in queued_emails():
        assert SCRIPT not in queued["html_body"]
        assert "&lt;" not in queued["body"] and "&#x27;" not in queued["subject"]
    (to_decider,) = queued_emails("admin93@exemple.test")
    assert SQL in to_decider["subject"]
    client.force_login(admins["local93"])
    for url in (
        reverse("access_request_list"),
        reverse("access_request_detail", kwargs={"pk": access_request.pk}),
    ):
        html = client.get(url).content.decode()
        assert SCRIPT not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nimporte"},
        {"status": LONG},
        {"q": LONG},
        {"q": SQL},
        {"q": SCRIPT},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "999999"},
        {"status": ["pending", "refused"]},
    ],
)
def test_malformed_list_filters(client, places, admins, params):
    make_request(places["d93"])
    client.force_login(admins["local93"])
    response = client.get(reverse("access_request_list"), params)
    assert response.status_code == 200
    assert SCRIPT not in response.content.decode()


@pytest.mark.parametrize(
    "payload",
    [{}, {"role": ""}, {"role": LONG}, {"role": SCRIPT}, {"role": SQL}, {"role": ["a", "b"]}],
)
def test_malformed_approvals(client, places, admins, payload):
    access_request = make_request(places["d93"])
    client.force_login(admins["local93"])
    response = client.post(
        reverse("access_request_approve", kwargs={"pk": access_request.pk}), payload
    )
    assert response.status_code == 200
    assert response.context["approve_form"].errors
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.PENDING


@pytest.mark.parametrize("message", [LONG, "x" * 3001])
def test_refusal_message_is_bounded(client, places, admins, message):
    access_request = make_request(places["d93"])
    client.force_login(admins["local93"])
    response = client.post(
        reverse("access_request_refuse", kwargs={"pk": access_request.pk}), {"message": message}
    )
    assert response.status_code == 200
    assert response.context["refuse_form"].has_error("message", "max_length")


@pytest.mark.parametrize(
    "path",
    [
        "/administration/demandes-acces/abc/",
        "/administration/demandes-acces/99999999/",
        "/administration/demandes-acces/99999999999999999999999/",
        "/administration/demandes-acces/1/approuver/",
    ],
)
def test_unknown_requests_give_404(client, admins, path):
    client.force_login(admins["national"])
    method = client.post if path.endswith("approuver/") else client.get
    assert method(path).status_code == 404


def test_decision_urls_need_a_post(client, places, admins):
    access_request = make_request(places["d93"])
    client.force_login(admins["local93"])
    for name in ("access_request_approve", "access_request_refuse", "access_request_resend"):
        assert client.get(reverse(name, kwargs={"pk": access_request.pk})).status_code == 405


# --- End to end through the task worker ---------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emails_go_through_the_worker(client, places, admins, organization):
    response = client.post(
        reverse("access_request_create"), form_data(organization=organization.pk)
    )
    assert response.status_code == 302
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["admin93@exemple.test", "camille.martin@asso.test"]
    for message in mail.outbox:
        assert "Résorption-bidonvilles" in message.subject
        assert message.alternatives[0][1] == "text/html"

    mail.outbox.clear()
    access_request = AccessRequest.objects.get()
    client.force_login(admins["local93"])
    approve(client, access_request, Role.OPERATEUR)
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    (message,) = mail.outbox
    assert message.to == ["camille.martin@asso.test"]
    assert message.extra_headers == {"Reply-To": "admin93@exemple.test"}
    path = ACTIVATION_LINK_RE.search(message.body).group(1)
    client.logout()
    assert activate(client, path).status_code == 302
