"""Account administration from the directory: who may act on whom, input checks, audit log."""

import pytest
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from directory.enums import Role, TerritoryLevel, UserOption, UserStatus
from directory.models import InterventionArea, User
from directory.services import users as user_services
from tests.directory.factories import (
    DepartmentFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db

ACTIONS = ["deactivate", "reactivate", "role", "options", "area", "comments"]
URL_NAMES = {
    "deactivate": "directory_person_deactivate",
    "reactivate": "directory_person_reactivate",
    "role": "directory_person_role",
    "options": "directory_person_options",
    "area": "directory_person_area",
    "comments": "directory_person_comments",
}


def action_url(action, person_or_pk):
    pk = getattr(person_or_pk, "pk", person_or_pk)
    return reverse(URL_NAMES[action], args=[pk])


def entries(person, action=None):
    queryset = ModelLogEntry.objects.for_instance(person)
    if action:
        queryset = queryset.filter(action=action)
    return list(queryset)


@pytest.fixture
def world():
    """Region r1 holds department d1; department d2 lies in another region."""
    r1 = RegionFactory(code="76", name="Occitanie")
    d1 = DepartmentFactory(code="34", name="Hérault", region=r1)
    d1b = DepartmentFactory(code="30", name="Gard", region=r1)
    d2 = DepartmentFactory(code="29", name="Finistère", region=RegionFactory(code="53"))
    people = {}

    def person(key, role, territory, **kwargs):
        user = UserFactory(role=role, last_name=key, **kwargs)
        if territory is not False:
            give_area(user, territory)
        people[key] = user
        return user

    person("target", Role.INTERVENANT, d1, admin_comments="Ancienne note")
    person("far_target", Role.INTERVENANT, d2)
    person("national_admin", Role.NATIONAL_ADMIN, None)
    person("local_admin_in", Role.LOCAL_ADMIN, d1)
    person("local_admin_region", Role.LOCAL_ADMIN, r1)
    person("local_admin_out", Role.LOCAL_ADMIN, d2)
    person("correspondant", Role.CORRESPONDANT, d1)
    person("acteur_national", Role.ACTEUR_NATIONAL, None)
    person("partenaire", Role.PARTENAIRE_INSTITUTIONNEL, d1)
    person("operateur", Role.OPERATEUR, d1)
    person("intervenant", Role.INTERVENANT, d1)
    person("observateur", Role.OBSERVATEUR_EXTERNE, d1)
    return {"r1": r1, "d1": d1, "d1b": d1b, "d2": d2, **people}


def valid_payload(action, world):
    return {
        "deactivate": {"deactivate-reason": "A quitté la structure"},
        "reactivate": {"reactivate-reason": ""},
        "role": {"role-role": Role.OPERATEUR},
        "options": {"options-options": [UserOption.JUSTICE_ACCESS, UserOption.CLOSE_SITE]},
        "area": {"area-territory": f"department:{world['d1'].code}"},
        "comments": {"comments-admin_comments": "Nouvelle note"},
    }[action]


def prepare(action, person):
    """Put the person in a state where the action makes sense."""
    if action == "reactivate":
        person.status = UserStatus.INACTIVE
        person.is_active = False
        person.save()


def post(client, actor, action, person, data):
    client.force_login(actor)
    return client.post(action_url(action, person), data)


# --- Who may act on whom ------------------------------------------------------------------------

ALLOWED = {"national_admin", "local_admin_in", "local_admin_region"}
ACTORS = [
    "national_admin",
    "local_admin_in",
    "local_admin_region",
    "local_admin_out",
    "correspondant",
    "acteur_national",
    "partenaire",
    "operateur",
    "intervenant",
    "observateur",
    "target",  # nobody administers their own account
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_table(client, world, actor, action):
    target = world["target"]
    prepare(action, target)
    response = post(client, world[actor], action, target, valid_payload(action, world))
    if actor == "target" and action == "reactivate":
        # A deactivated account has no session at all: back to the login page.
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert entries(target) == []
    elif actor in ALLOWED:
        assert response.status_code == 302
        assert response.url == reverse("directory_person", args=[target.pk])
        assert len(entries(target, f"directory.user.{log_name(action)}")) == 1
    else:
        assert response.status_code == 403
        assert "403.html" in [template.name for template in response.templates]
        assert entries(target) == []


def log_name(action):
    return {
        "deactivate": "deactivate",
        "reactivate": "reactivate",
        "role": "change_role",
        "options": "change_options",
        "area": "change_area",
        "comments": "edit_admin_comments",
    }[action]


@pytest.mark.parametrize("action", ACTIONS)
def test_local_admins_act_only_on_their_territory(client, world, action):
    far = world["far_target"]
    prepare(action, far)
    for actor, expected in [("local_admin_in", 403), ("local_admin_out", 302)]:
        payload = valid_payload(action, world)
        if action == "area":
            payload = {"area-territory": f"department:{world['d2'].code}"}
        response = post(client, world[actor], action, far, payload)
        assert response.status_code == expected, actor


def test_admin_accounts_are_protected(client, world):
    other_national = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(other_national, world["d1"])
    superuser = User.objects.create_superuser(
        email="root@exemple.test", first_name="Root", last_name="Root"
    )
    give_area(superuser, world["d1"])
    payload = {"deactivate-reason": "Essai"}
    # A local admin cannot touch a national admin, even in their territory.
    assert (
        post(client, world["local_admin_in"], "deactivate", other_national, payload).status_code
        == 403
    )
    # A national admin cannot touch a superuser; another national admin, yes.
    assert (
        post(client, world["national_admin"], "deactivate", superuser, payload).status_code == 403
    )
    assert (
        post(client, world["national_admin"], "deactivate", other_national, payload).status_code
        == 302
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_are_post_only_and_need_a_login(client, world, action):
    target = world["target"]
    prepare(action, target)
    url = action_url(action, target)
    response = client.post(url, valid_payload(action, world))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(world["national_admin"])
    assert client.get(url).status_code == 405
    assert entries(target) == []


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("pk", [999_999, 99_999_999_999_999_999_999])
def test_unknown_accounts_are_404(client, world, action, pk):
    client.force_login(world["national_admin"])
    assert client.post(action_url(action, pk), valid_payload(action, world)).status_code == 404


# --- Deactivation and reactivation --------------------------------------------------------------


def test_deactivation_closes_the_account_and_records_the_reason(client, world):
    target = world["target"]
    target_client = type(client)()
    target_client.force_login(target)
    assert target_client.get(reverse("directory_index")).status_code == 200

    response = post(
        client, world["local_admin_in"], "deactivate", target, {"deactivate-reason": "Départ"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == UserStatus.INACTIVE and target.is_active is False
    (entry,) = entries(target, user_services.ACTION_DEACTIVATE)
    assert entry.data["reason"] == "Départ"
    assert entry.user_id == world["local_admin_in"].pk
    # The open session of the deactivated user ends.
    response = target_client.get(reverse("directory_index"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    # A success message is queued for the admin.
    page = client.get(reverse("directory_person", args=[target.pk]))
    assert len(list(page.context["messages"])) == 1
    # The history shows the deactivation and its reason to admins.
    html = page.content.decode()
    assert 'id="account-history"' in html and "Départ" in html


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"deactivate-reason": ""},
        {"deactivate-reason": "   "},
        {"deactivate-reason": "x" * 10_000},
        {"reason": "sans préfixe"},
        {"deactivate-reason": "nul\x00"},
    ],
)
def test_deactivation_needs_a_reason(client, world, data):
    target = world["target"]
    response = post(client, world["national_admin"], "deactivate", target, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'class="fr-alert fr-alert--error' in response.content.decode()
    target.refresh_from_db()
    assert target.status == UserStatus.ACTIVE and target.is_active
    assert entries(target) == []


def test_a_json_body_is_refused_cleanly(client, world):
    client.force_login(world["national_admin"])
    response = client.post(
        action_url("deactivate", world["target"]),
        data={"deactivate-reason": "json"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_deactivating_twice_or_reactivating_an_active_account_is_refused(client, world):
    target = world["target"]
    admin = world["national_admin"]
    assert post(client, admin, "reactivate", target, {}).status_code == 400
    assert post(client, admin, "deactivate", target, {"deactivate-reason": "1"}).status_code == 302
    assert post(client, admin, "deactivate", target, {"deactivate-reason": "2"}).status_code == 400
    assert post(client, admin, "reactivate", target, {}).status_code == 302
    target.refresh_from_db()
    assert target.status == UserStatus.ACTIVE and target.is_active
    assert [e.action for e in entries(target)] == [
        user_services.ACTION_REACTIVATE,
        user_services.ACTION_DEACTIVATE,
    ]


def test_the_person_page_offers_the_right_controls(client, world):
    target = world["target"]
    url = reverse("directory_person", args=[target.pk])
    for actor in ("correspondant", "intervenant", "local_admin_out", "acteur_national"):
        client.force_login(world[actor])
        html = client.get(url).content.decode()
        for action in ACTIONS:
            assert action_url(action, target) not in html, (actor, action)
        assert "Ancienne note" not in html
    client.force_login(world["local_admin_in"])
    response = client.get(url)
    html = response.content.decode()
    for action in ("deactivate", "role", "area", "comments"):
        assert f'action="{action_url(action, target)}"' in html
    assert action_url("reactivate", target) not in html
    assert 'id="modal-deactivate"' in html
    assert "Ancienne note" in html
    role_choices = [value for value, _ in response.context["role_form"].fields["role"].choices]
    assert Role.NATIONAL_ADMIN not in role_choices and Role.LOCAL_ADMIN in role_choices

    prepare("reactivate", target)
    html = client.get(url).content.decode()
    assert f'action="{action_url("reactivate", target)}"' in html
    assert action_url("deactivate", target) not in html


# --- Role ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "role", "status"),
    [
        ("national_admin", Role.NATIONAL_ADMIN, 302),
        ("national_admin", Role.LOCAL_ADMIN, 302),
        ("local_admin_in", Role.NATIONAL_ADMIN, 400),
        ("local_admin_in", Role.LOCAL_ADMIN, 302),
        ("local_admin_in", Role.CORRESPONDANT, 302),
        ("local_admin_in", "superuser", 400),
        ("local_admin_in", "", 400),
        ("local_admin_in", "x" * 10_000, 400),
        ("local_admin_in", "1", 400),
    ],
)
def test_role_choices_are_limited_to_grantable_roles(client, world, actor, role, status):
    target = world["target"]
    response = post(client, world[actor], "role", target, {"role-role": role})
    assert response.status_code == status
    target.refresh_from_db()
    if status == 302:
        assert target.role == role
        (entry,) = entries(target, user_services.ACTION_CHANGE_ROLE)
        assert entry.data == {"previous": Role.INTERVENANT, "new": role}
        assert str(Role(role).label) in str(entry.message)
    else:
        assert "role" in response.context["form"].errors
        assert target.role == Role.INTERVENANT


def test_giving_the_same_role_records_nothing(client, world):
    target = world["target"]
    response = post(client, world["national_admin"], "role", target, {"role-role": target.role})
    assert response.status_code == 302
    assert entries(target) == []


# --- Intervention area --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "data", "status"),
    [
        ("national_admin", {"area-national": "on"}, 302),
        ("national_admin", {"area-territory": "region:76"}, 302),
        ("national_admin", {"area-territory": "department:29"}, 302),
        ("local_admin_in", {"area-territory": "department:34"}, 302),
        ("local_admin_in", {"area-territory": "department:29"}, 400),  # outside
        ("local_admin_in", {"area-territory": "department:30"}, 400),  # outside, same region
        ("local_admin_in", {"area-territory": "region:76"}, 400),  # wider than their own
        ("local_admin_in", {"area-national": "on"}, 400),
        ("local_admin_region", {"area-territory": "department:30"}, 302),
        ("local_admin_region", {"area-territory": "region:76"}, 302),
        ("national_admin", {}, 400),
        ("national_admin", {"area-national": "on", "area-territory": "department:34"}, 400),
        ("national_admin", {"area-territory": "department:ZZ"}, 400),
        ("national_admin", {"area-territory": "department:"}, 400),
        ("national_admin", {"area-territory": "planet:earth"}, 400),
        ("national_admin", {"area-territory": "x" * 10_000}, 400),
        ("national_admin", {"area-territory_search": "Nulle part du tout"}, 400),
        ("national_admin", {"area-territory": "department:34\x00"}, 400),
    ],
)
def test_main_area_changes(client, world, actor, data, status):
    target = world["target"]
    before = list(InterventionArea.objects.filter(user=target).values_list("department_id"))
    response = post(client, world[actor], "area", target, data)
    assert response.status_code == status
    areas = InterventionArea.objects.filter(user=target)
    if status == 302:
        (main,) = areas.filter(is_main=True)
        if data.get("area-national"):
            assert main.level == TerritoryLevel.NATION
        else:
            assert f"{main.level}:{main.territory.pk}" == data["area-territory"]
        (entry,) = entries(target, user_services.ACTION_CHANGE_AREA)
        assert entry.data["previous"]["code"] == "34"
    else:
        assert response.context["form"].errors
        assert list(areas.values_list("department_id")) == before
        assert entries(target) == []


def test_setting_the_main_area_keeps_the_secondary_areas(world):
    target = world["target"]
    secondary = give_area(target, world["d1b"], is_main=False)
    user_services.set_main_area(user=target, by=world["national_admin"], territory=world["d2"])
    assert set(InterventionArea.objects.filter(user=target).values_list("pk", flat=True)) == {
        secondary.pk,
        InterventionArea.objects.get(user=target, is_main=True).pk,
    }
    # Choosing a secondary area as the main one does not duplicate it.
    user_services.set_main_area(user=target, by=world["national_admin"], territory=world["d1b"])
    assert InterventionArea.objects.filter(user=target).count() == 1


def test_a_user_without_own_areas_gets_one(world):
    organization_member = UserFactory()
    area = user_services.set_main_area(
        user=organization_member, by=world["national_admin"], territory=None
    )
    assert area.level == TerritoryLevel.NATION and area.is_main


# --- Comments of the administrators -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Nouvelle note", 302),
        ("", 302),
        ("y" * 5_000, 302),
        ("y" * 10_000, 400),
        ("nul\x00", 400),
    ],
)
def test_admin_comments_edition(client, world, text, status):
    target = world["target"]
    response = post(
        client, world["local_admin_in"], "comments", target, {"comments-admin_comments": text}
    )
    assert response.status_code == status
    target.refresh_from_db()
    if status == 302:
        assert target.admin_comments == text
        (entry,) = entries(target, user_services.ACTION_EDIT_ADMIN_COMMENTS)
        assert text not in str(entry.data) or not text
    else:
        assert "admin_comments" in response.context["form"].errors
        assert target.admin_comments == "Ancienne note"


def test_unchanged_comments_record_nothing(client, world):
    target = world["target"]
    data = {"comments-admin_comments": "Ancienne note"}
    assert post(client, world["national_admin"], "comments", target, data).status_code == 302
    assert entries(target) == []


# --- Audit log ----------------------------------------------------------------------------------


def test_audit_actions_are_registered_with_labels():
    choices = dict(log_registry.get_choices())
    for action in user_services.ACTIONS:
        assert log_registry.action_exists(action)
        assert str(choices[action])


def test_the_history_is_shown_to_admins_only(client, world):
    target = world["target"]
    post(client, world["national_admin"], "role", target, {"role-role": Role.OPERATEUR})
    url = reverse("directory_person", args=[target.pk])
    html = client.get(url).content.decode()
    assert 'id="account-history"' in html and str(Role.OPERATEUR.label) in html
    client.force_login(world["correspondant"])
    html = client.get(url).content.decode()
    assert 'id="account-history"' not in html


def test_options_grant_rights_on_the_territory_and_are_audited(client, world):
    from directory import perms
    from directory.permission_matrix import Feature

    target = world["target"]
    site_place = world["d1"]
    assert not perms.can(target, Feature.SITE_CLOSE, site_place)
    response = post(
        client,
        world["local_admin_in"],
        "options",
        target,
        {"options-options": [UserOption.CLOSE_SITE]},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.options == [UserOption.CLOSE_SITE]
    target = type(target).objects.get(pk=target.pk)
    assert perms.can(target, Feature.SITE_CLOSE, site_place)
    assert not perms.can(target, Feature.SITE_CLOSE, world["d2"])
    # Same options again: nothing recorded twice; unknown values are refused.
    post(client, world["local_admin_in"], "options", target, {"options-options": ["close_site"]})
    assert len(entries(target, "directory.user.change_options")) == 1
    response = post(client, world["local_admin_in"], "options", target, {"options-options": "x"})
    assert response.status_code == 400
