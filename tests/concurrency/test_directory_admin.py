"""Two administrators acting on one account or one organisation at the same moment (issue 15,
part 2): the action is done, logged and told once, the slower administrator is told why nothing
happened. The rendezvous holds both requests between their check and their write."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory.enums import OrganizationCategory, Role, UserOption, UserStatus
from directory.models import Organization, OrganizationType, User
from directory.services import organizations as organization_services
from directory.services import users as user_services
from tests.concurrency.harness import Rendezvous, clients_of, post, race, told
from tests.directory.factories import DepartmentFactory, OrganizationFactory, UserFactory, give_area
from tests.directory.test_access_requests import queued_emails

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 3


def logged(instance, action):
    return ModelLogEntry.objects.filter(action=action, object_id=str(instance.pk)).count()


@pytest.fixture
def here():
    return DepartmentFactory(code="34", name="Hérault")


@pytest.fixture
def admins(here):
    return clients_of(Role.LOCAL_ADMIN, here)


def member(here, **kwargs):
    user = UserFactory(role=Role.INTERVENANT, **kwargs)
    give_area(user, here)
    return user


def test_two_administrators_deactivating_one_account_at_once(here, admins, monkeypatch):
    """Deactivated once, logged once, the person emailed once; the slower administrator is
    told « Ce compte est déjà désactivé. »."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, user_services, "log")
    for repetition in range(REPETITIONS):
        person = member(here)
        url = reverse("directory_person_deactivate", args=[person.pk])

        outcomes = race(
            *(
                post(client, url, {"deactivate-reason": f"Départ {n}"})
                for n, client in enumerate(admins)
            ),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert User.objects.get(pk=person.pk).status == UserStatus.INACTIVE
        assert logged(person, user_services.ACTION_DEACTIVATE) == 1, repetition
        assert len(queued_emails(to=person.email)) == 1, repetition
        assert "Ce compte est déjà désactivé." in told(outcomes)


def test_two_administrators_reactivating_one_account_at_once(here, admins, monkeypatch):
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, user_services, "log")
    for repetition in range(REPETITIONS):
        person = member(here, status=UserStatus.INACTIVE, is_active=False)
        url = reverse("directory_person_reactivate", args=[person.pk])

        outcomes = race(
            *(post(client, url, {"reactivate-reason": ""}) for client in admins),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert User.objects.get(pk=person.pk).is_active
        assert logged(person, user_services.ACTION_REACTIVATE) == 1, repetition
        assert len(queued_emails(to=person.email)) == 1, repetition
        assert "Ce compte n’est pas désactivé." in told(outcomes)


def test_two_administrators_giving_one_role_at_once(here, admins, monkeypatch):
    """The same new role given by both: one change in the history (whose « previous » is the
    role the person really had), the other told « Le rôle n’a pas changé. »."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, user_services, "_forget_cached_permissions")
    for repetition in range(REPETITIONS):
        person = member(here)
        url = reverse("directory_person_role", args=[person.pk])

        outcomes = race(
            *(post(client, url, {"role-role": Role.OPERATEUR}) for client in admins),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert User.objects.get(pk=person.pk).role == Role.OPERATEUR
        assert logged(person, user_services.ACTION_CHANGE_ROLE) == 1, repetition
        assert "Le rôle n’a pas changé." in told(outcomes)


def organization_in(here, key):
    organization = OrganizationFactory(name=f"Organisation {key}")
    give_area(organization, here, is_main=True)
    return organization


def test_two_administrators_deactivating_one_organisation_at_once(here, admins, monkeypatch):
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, organization_services, "log")
    for repetition in range(REPETITIONS):
        organization = organization_in(here, repetition)
        url = reverse("directory_organization_deactivate", args=[organization.pk])

        outcomes = race(
            *(post(client, url, {"deactivate-reason": "Dissoute"}) for client in admins),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert not Organization.objects.get(pk=organization.pk).is_active
        assert logged(organization, organization_services.ACTION_DEACTIVATE) == 1, repetition
        assert "Cette organisation est déjà désactivée." in told(outcomes)


def test_two_administrators_reactivating_one_organisation_at_once(here, admins, monkeypatch):
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, organization_services, "log")
    for repetition in range(REPETITIONS):
        organization = organization_in(here, repetition)
        Organization.objects.filter(pk=organization.pk).update(is_active=False)
        url = reverse("directory_organization_reactivate", args=[organization.pk])

        outcomes = race(
            *(post(client, url, {"reactivate-reason": ""}) for client in admins),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert Organization.objects.get(pk=organization.pk).is_active
        assert logged(organization, organization_services.ACTION_REACTIVATE) == 1, repetition
        assert "Cette organisation est active." in told(outcomes)


def edit_form_data(organization, here, **changes):
    """What the edit form, opened now, posts (with the organisation's version)."""
    data = {
        "name": organization.name,
        "abbreviation": organization.abbreviation,
        "category": OrganizationCategory.ASSOCIATION,
        "type": OrganizationType.objects.get(name="Association").pk,
        "state_funded_year": "",
        "main_area": f"department:{here.code}",
        "version": organization_services.version(organization),
    }
    return {**data, **changes}


def test_two_administrators_saving_one_organisation_edit_at_once(here, admins, monkeypatch):
    """The same renaming saved by both: one update in the history, the other told « Aucune
    modification. » (the second one compares with what the first one committed)."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, organization_services, "_current_areas")
    for repetition in range(REPETITIONS):
        organization = organization_in(here, repetition)
        url = reverse("directory_organization_edit", args=[organization.pk])
        data = edit_form_data(organization, here, name=f"Organisation renommée {repetition}")

        outcomes = race(*(post(client, url, data) for client in admins), rendezvous=rendezvous)

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert Organization.objects.get(pk=organization.pk).name == data["name"]
        assert logged(organization, organization_services.ACTION_UPDATE) == 1, repetition
        assert "Aucune modification." in told(outcomes)


def test_two_administrators_changing_different_fields_of_one_organisation_at_once(
    here, admins, monkeypatch
):
    """One renames, the other sets the abbreviation, both from the form opened before: the
    first save is kept; the second one is refused (409) instead of putting the old name back,
    its input kept, told which fields saving it again would change, and based on the current
    version (saving it again is then a deliberate choice)."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, organization_services, "_current_areas")
    for repetition in range(REPETITIONS):
        organization = organization_in(here, repetition)
        url = reverse("directory_organization_edit", args=[organization.pk])
        renamed = f"Organisation renommée {repetition}"
        posts = [
            edit_form_data(organization, here, name=renamed),
            edit_form_data(organization, here, abbreviation="OR"),
        ]

        outcomes = race(
            *(post(client, url, data) for client, data in zip(admins, posts, strict=True)),
            rendezvous=rendezvous,
        )

        assert sorted(outcome.status for outcome in outcomes) == [302, 409], repetition
        saved = Organization.objects.get(pk=organization.pk)
        kept = (saved.name, saved.abbreviation)
        assert kept in [(renamed, ""), (organization.name, "OR")], kept
        assert logged(organization, organization_services.ACTION_UPDATE) == 1, repetition
        (refused,) = (outcome.response for outcome in outcomes if outcome.status == 409)
        page = refused.content.decode()
        assert "Un autre administrateur a enregistré cette organisation" in page
        assert refused.context["form"]["version"].value() == organization_services.version(saved)


def test_two_administrators_ticking_different_options_at_once(here, admins, monkeypatch):
    """Both forms opened on no option; one ticks the justice access, the other the closing of
    sites: the account gets both (each form applies what its administrator changed)."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, user_services, "_forget_cached_permissions")
    ticked = [UserOption.JUSTICE_ACCESS, UserOption.CLOSE_SITE]
    for repetition in range(REPETITIONS):
        person = member(here, options=[])
        url = reverse("directory_person_options", args=[person.pk])

        outcomes = race(
            *(
                post(client, url, {"options-options": [option], "options-base": "v1:"})
                for client, option in zip(admins, ticked, strict=True)
            ),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert sorted(User.objects.get(pk=person.pk).options) == sorted(ticked), repetition
        assert logged(person, user_services.ACTION_CHANGE_OPTIONS) == 2, repetition


def test_two_administrators_editing_the_comments_at_once(here, admins, monkeypatch):
    """Both forms opened on the same comments: the first save is kept, the second refused
    (409) with the other administrator's text, its own kept in the form."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, user_services, "log")
    for repetition in range(REPETITIONS):
        person = member(here, admin_comments="Ancienne note")
        url = reverse("directory_person_comments", args=[person.pk])
        base = user_services.comments_base("Ancienne note")
        texts = [f"Note {n} ({repetition})" for n in (1, 2)]

        outcomes = race(
            *(
                post(client, url, {"comments-admin_comments": text, "comments-base": base})
                for client, text in zip(admins, texts, strict=True)
            ),
            rendezvous=rendezvous,
        )

        assert sorted(outcome.status for outcome in outcomes) == [302, 409], repetition
        kept = User.objects.get(pk=person.pk).admin_comments
        assert kept in texts
        assert logged(person, user_services.ACTION_EDIT_ADMIN_COMMENTS) == 1, repetition
        (refused,) = (outcome.response for outcome in outcomes if outcome.status == 409)
        page = refused.content.decode()
        assert "Un autre administrateur a modifié les commentaires" in page
        assert kept in page and (set(texts) - {kept}).pop() in page
