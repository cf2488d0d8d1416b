"""Administrators' daily tools: creating an account directly, the accounts of the territory
(filters, export, bulk reminders), deactivation and reactivation emails, the permission
exceptions page. Permissions as tables."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from directory.enums import AccessRequestStatus, Role, UserStatus
from directory.models import AccessRequest, PermissionException, User
from directory.permission_matrix import Feature, Scope
from directory.services import access_requests, territory_accounts
from directory.services import users as user_services
from tests.directory.factories import (
    DepartmentFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db

ACTIVATION_LINK_RE = re.compile(r"https?://[^/\s]+(/activation/[^/\s]+/)")


def queued_emails(to=None):
    rows = DBTaskResult.objects.filter(task_path="core.tasks.send_email").order_by("enqueued_at")
    emails = [row.args_kwargs["kwargs"] for row in rows]
    return [email for email in emails if to is None or email["to"] == [to]]


@pytest.fixture
def world():
    region = RegionFactory(code="11", name="Île-de-France")
    d93 = DepartmentFactory(code="93", name="Seine-Saint-Denis", region=region)
    d94 = DepartmentFactory(code="94", name="Val-de-Marne", region=region)
    d69 = DepartmentFactory(code="69", name="Rhône", region=RegionFactory(code="84"))
    organization = OrganizationFactory(name="Les Enfants du Canal")
    people = {}

    def person(key, role, territory, **kwargs):
        user = UserFactory(role=role, last_name=key.replace("_", " ").title(), **kwargs)
        give_area(user, territory)
        people[key] = user
        return user

    person("national_admin", Role.NATIONAL_ADMIN, None)
    person("local_admin", Role.LOCAL_ADMIN, d93)
    person("local_admin_other", Role.LOCAL_ADMIN, d69)
    person("correspondant", Role.CORRESPONDANT, d93)
    person("intervenant", Role.INTERVENANT, d93, organization=organization)
    person("far_intervenant", Role.INTERVENANT, d69)
    person("newcomer", Role.OPERATEUR, d93, status=UserStatus.NEW, last_access=None)
    return {"d93": d93, "d94": d94, "d69": d69, "organization": organization, **people}


def create_data(world, **overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille.martin@asso.test",
        "email_confirmation": "camille.martin@asso.test",
        "phone": "01 23 45 67 89",
        "organization_kind": "existing",
        "organization": world["organization"].pk,
        "position": "Coordinatrice",
        "territory_scope": "local",
        "territory": "department:93",
        "role": Role.INTERVENANT,
    }
    data.update(overrides)
    return data


# --- Who may do what ----------------------------------------------------------------------------

PAGES = {
    "list": "accounts_admin_list",
    "create": "accounts_admin_create",
    "export": "accounts_admin_export",
    "exceptions": "permission_exceptions",
}
ALLOWED = {
    "national_admin": {"list", "create", "export", "exceptions"},
    "local_admin": {"list", "create", "export"},
    "correspondant": set(),
    "intervenant": set(),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("actor", ALLOWED)
def test_permission_table(client, world, actor, page):
    client.force_login(world[actor])
    response = client.get(reverse(PAGES[page]))
    assert response.status_code == (200 if page in ALLOWED[actor] else 403)


def test_the_export_needs_the_export_feature(client, world):
    PermissionException.objects.create(
        user=world["local_admin"], feature=Feature.USER_EXPORT, scope=Scope.NONE
    )
    client.force_login(world["local_admin"])
    assert client.get(reverse("accounts_admin_list")).status_code == 200
    assert client.get(reverse("accounts_admin_export")).status_code == 403


@pytest.mark.parametrize(
    "actor, territory, role, allowed",
    [
        ("national_admin", "department:69", Role.NATIONAL_ADMIN, True),
        ("local_admin", "department:93", Role.LOCAL_ADMIN, True),
        ("local_admin", "department:69", Role.INTERVENANT, False),  # outside their territory
        ("local_admin", "region:11", Role.INTERVENANT, False),  # wider than their territory
        ("local_admin", "department:93", Role.NATIONAL_ADMIN, False),  # not a role they give
    ],
)
def test_who_may_create_which_account_where(client, world, actor, territory, role, allowed):
    client.force_login(world[actor])
    response = client.post(
        reverse("accounts_admin_create"), create_data(world, territory=territory, role=role)
    )
    created = User.objects.filter(email="camille.martin@asso.test").first()
    assert (created is not None) == allowed
    assert response.status_code == (302 if allowed else 200)


# --- Creating an account ------------------------------------------------------------------------


def test_a_local_admin_creates_an_account_and_the_person_activates_it(client, world):
    admin = world["local_admin"]
    client.force_login(admin)
    response = client.post(reverse("accounts_admin_create"), create_data(world))
    user = User.objects.get(email="camille.martin@asso.test")
    assert response.status_code == 302
    assert response.url == reverse("directory_person", args=[user.pk])
    assert user.status == UserStatus.NEW and not user.has_usable_password()
    assert (user.role, user.organization, user.phone) == (
        Role.INTERVENANT,
        world["organization"],
        "01 23 45 67 89",
    )
    assert ModelLogEntry.objects.for_instance(user).filter(action="directory.user.create")
    access_request = AccessRequest.objects.get(user=user)
    assert access_request.status == AccessRequestStatus.APPROVED
    assert access_request.decided_by == admin
    [email] = queued_emails("camille.martin@asso.test")
    assert "a créé votre compte" in email["body"]
    path = ACTIVATION_LINK_RE.search(email["body"]).group(1)

    client.logout()
    password = "Un mot de passe solide 2024"
    response = client.post(path, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.status == UserStatus.ACTIVE and user.check_password(password)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"email": "x", "email_confirmation": "x"}, "email", "adresse e-mail valide"),
        ({"role": ""}, "role", "Choisissez le rôle du compte."),
        ({"territory": ""}, "territory", "Choisissez le territoire"),
        ({"phone": "12"}, "phone", "numéro de téléphone français"),
    ],
)
def test_invalid_input_is_explained_in_french(client, world, overrides, field, message):
    client.force_login(world["local_admin"])
    response = client.post(reverse("accounts_admin_create"), create_data(world, **overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])


def test_an_address_that_has_an_account_is_refused(client, world):
    client.force_login(world["local_admin"])
    taken = world["intervenant"].email
    response = client.post(
        reverse("accounts_admin_create"),
        create_data(world, email=taken, email_confirmation=taken),
    )
    assert response.status_code == 200
    assert "existe déjà" in str(response.context["form"].errors["email"])


# --- The list, its filters, the export ----------------------------------------------------------


def names(response):
    return {user.last_name for user in response.context["page_obj"]}


def test_a_local_admin_lists_the_accounts_of_their_territory(client, world):
    client.force_login(world["local_admin"])
    listed = names(client.get(reverse("accounts_admin_list")))
    assert {"Correspondant", "Intervenant", "Newcomer", "Local Admin"} <= listed
    assert "Far Intervenant" not in listed and "National Admin" not in listed


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"status": "new"}, {"Newcomer"}),
        ({"role": Role.CORRESPONDANT}, {"Correspondant"}),
        ({"last_access": "never"}, {"Newcomer"}),
        ({"status": "nonsense"}, None),  # an invalid filter is ignored
    ],
)
def test_the_list_filters(client, world, filters, expected):
    now = timezone.now()
    User.objects.exclude(pk=world["newcomer"].pk).update(last_access=now)
    client.force_login(world["local_admin"])
    listed = names(client.get(reverse("accounts_admin_list"), filters))
    if expected is None:
        assert len(listed) >= 4
    else:
        assert listed == expected


def test_the_list_filters_by_organisation_and_old_access(client, world):
    now = timezone.now()
    User.objects.update(last_access=now)
    User.objects.filter(pk=world["correspondant"].pk).update(last_access=now - timedelta(days=200))
    client.force_login(world["local_admin"])
    organization = world["organization"].pk
    assert names(client.get(reverse("accounts_admin_list"), {"organization": organization})) == {
        "Intervenant"
    }
    assert names(client.get(reverse("accounts_admin_list"), {"last_access": "6m"})) == {
        "Correspondant"
    }


def test_the_csv_export_holds_the_territory_and_is_logged(client, world):
    world["intervenant"].position = '=HYPERLINK("http://x")'
    world["intervenant"].save()
    admin = world["local_admin"]
    client.force_login(admin)
    response = client.get(
        reverse("accounts_admin_export"), {"format": "csv", "role": "intervenant"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert world["intervenant"].email in text
    assert world["far_intervenant"].email not in text
    assert "'=HYPERLINK" in text  # neutralised for spreadsheets
    entry = ModelLogEntry.objects.for_instance(admin).get(action=territory_accounts.ACTION_EXPORT)
    assert entry.data["count"] == 1 and entry.data["format"] == "csv"


def test_the_xlsx_export_opens(client, world):
    from openpyxl import load_workbook

    client.force_login(world["national_admin"])
    response = client.get(reverse("accounts_admin_export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Nom"
    emails = {row[2] for row in rows[1:]}
    assert world["far_intervenant"].email in emails and world["intervenant"].email in emails


# --- Bulk reminders -----------------------------------------------------------------------------


def test_bulk_reminders_reach_only_the_unactivated_accounts_of_the_territory(client, world):
    admin = world["local_admin"]
    national = world["national_admin"]
    pending = access_requests.create_account(
        admin=national,
        role=Role.INTERVENANT,
        territory=world["d93"],
        first_name="Léa",
        last_name="Nouvelle",
        email="lea@asso.test",
        organization=world["organization"],
        position="Médiatrice",
    )
    far = access_requests.create_account(
        admin=national,
        role=Role.INTERVENANT,
        territory=world["d69"],
        first_name="Paul",
        last_name="Lointain",
        email="paul@asso.test",
        organization=world["organization"],
        position="Médiateur",
    )
    DBTaskResult.objects.all().delete()
    client.force_login(admin)
    response = client.post(
        reverse("accounts_admin_remind"),
        {"accounts": [pending.pk, far.pk, world["intervenant"].pk, "x"]},
    )
    assert response.status_code == 302
    assert [email["to"] for email in queued_emails()] == [["lea@asso.test"]]
    assert ModelLogEntry.objects.for_instance(pending).filter(
        action=territory_accounts.ACTION_REMIND
    )


# --- Deactivation and reactivation emails -------------------------------------------------------


def test_deactivation_and_reactivation_email_the_person_with_the_reason(client, world):
    person = world["intervenant"]
    client.force_login(world["local_admin"])
    client.post(
        reverse("directory_person_deactivate", args=[person.pk]),
        {"deactivate-reason": "A quitté la structure"},
    )
    [email] = queued_emails(person.email)
    assert "désactivé" in email["subject"] and "A quitté la structure" in email["body"]
    DBTaskResult.objects.all().delete()
    client.post(
        reverse("directory_person_reactivate", args=[person.pk]),
        {"reactivate-reason": "Retour dans l’équipe"},
    )
    [email] = queued_emails(person.email)
    assert "actif" in email["subject"] and "Retour dans l’équipe" in email["body"]


def test_the_services_can_stay_silent(world):
    person = world["intervenant"]
    user_services.deactivate_user(user=person, by=world["local_admin"], reason="x", notify=False)
    assert queued_emails() == []


# --- Permission exceptions ----------------------------------------------------------------------


def test_national_admins_read_the_permission_exceptions(client, world):
    exception = PermissionException.objects.create(
        user=world["correspondant"],
        feature=Feature.USER_EXPORT,
        scope=Scope.LOCAL,
        comment="Suivi des équipes",
    )
    log(instance=exception, action="wagtail.create", user=world["national_admin"])
    PermissionException.objects.create(
        organization=world["organization"], feature=Feature.SITE_DELETE, scope=Scope.NONE
    )
    client.force_login(world["national_admin"])
    response = client.get(reverse("permission_exceptions"))
    page = response.content.decode()
    assert "Correspondant" in page and "Les Enfants du Canal" in page
    assert "Suivi des équipes" in page and "National Admin" in page
    assert "Exporter les utilisateurs" in page
