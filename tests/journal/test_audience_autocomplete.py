"""The "chosen users" of a private message scale: a search endpoint over the site's territory,
and a form that renders only the chosen users and also takes typed email addresses."""

import re

import pytest
from django.urls import reverse

from directory.enums import Role, UserStatus
from journal.enums import Audience
from journal.forms import EntryForm
from journal.models import Entry
from journal.widgets import MAX_RESULTS
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    UserFactory,
    give_area,
)
from tests.journal.factories import EntryFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def here():
    return DepartmentFactory()


@pytest.fixture
def site(here):
    return SitePageFactory(commune=CommuneFactory(department=here))


def member(role, territory, **kwargs):
    user = UserFactory(role=role, **kwargs)
    give_area(user, territory)
    return user


@pytest.fixture
def author(here):
    return member(Role.OPERATEUR, here, first_name="Auteur", last_name="Zorglub")


@pytest.fixture
def outsider():
    """A user with the same name as the territory's people, in another department."""
    return member(
        Role.CORRESPONDANT,
        DepartmentFactory(),
        first_name="Hélène",
        last_name="Étrangère",
        email="etrangere@ailleurs.test",
    )


def search(client, site, query):
    response = client.get(reverse("journal:audience_users", args=[site.pk]), {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


# --- The endpoint: who may use it ----------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client, site):
    response = client.get(reverse("journal:audience_users", args=[site.pk]), {"q": "du"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OPERATEUR, 200),  # posts private messages
        (Role.LOCAL_ADMIN, 200),
        (Role.INTERVENANT, 404),  # posts, but only for the site's readers: no chosen users
        (Role.OBSERVATEUR_EXTERNE, 404),  # reads, may not post
    ],
)
def test_only_who_may_choose_users_searches(client, site, here, role, expected):
    member(Role.CORRESPONDANT, here, last_name="Dupont")
    client.force_login(member(role, here))
    response = client.get(reverse("journal:audience_users", args=[site.pk]), {"q": "dupont"})
    assert response.status_code == expected
    if expected == 200:
        assert [result["label"] for result in response.json()["results"]]


def test_a_user_of_another_territory_gets_a_404(client, site):
    client.force_login(member(Role.OPERATEUR, DepartmentFactory()))
    response = client.get(reverse("journal:audience_users", args=[site.pk]), {"q": "dupont"})
    assert response.status_code == 404


# --- The endpoint: what it finds -----------------------------------------------------------------


def test_matching_ignores_accents_and_case_on_every_field(client, site, here, author):
    organization = OrganizationFactory(name="Association Rénovation Urbaine", abbreviation="ARU")
    give_area(organization, here)
    helene = member(Role.CORRESPONDANT, here, first_name="Hélène", last_name="Dupré")
    member_of_org = UserFactory(
        role=Role.OPERATEUR, organization=organization, first_name="Paul", last_name="Martin"
    )
    by_email = member(Role.CORRESPONDANT, here, email="contact.special@exemple.test")
    client.force_login(author)

    assert [result["id"] for result in search(client, site, "HELENE")] == [helene.pk]
    assert [result["id"] for result in search(client, site, "dupre hél")] == [helene.pk]
    assert [result["id"] for result in search(client, site, "renovation")] == [member_of_org.pk]
    assert search(client, site, "rénovation") == [
        {"id": member_of_org.pk, "label": "Paul Martin (ARU)"}
    ]
    assert [result["id"] for result in search(client, site, "SPECIAL@")] == [by_email.pk]


def test_short_queries_find_nothing(client, site, here, author):
    member(Role.CORRESPONDANT, here, last_name="A")
    client.force_login(author)
    assert search(client, site, "a") == []
    assert search(client, site, " ") == []


def test_outsiders_inactive_users_and_the_requester_are_never_found(
    client, site, here, author, outsider
):
    member(
        Role.CORRESPONDANT,
        here,
        first_name="Hélène",
        last_name="Inactive",
        status=UserStatus.INACTIVE,
    )
    inside = member(Role.CORRESPONDANT, here, first_name="Hélène", last_name="Dedans")
    client.force_login(author)
    assert [result["id"] for result in search(client, site, "helene")] == [inside.pk]
    assert search(client, site, "zorglub") == []  # the author themselves


def test_at_most_20_results(client, site, here, author):
    for _ in range(MAX_RESULTS + 5):
        member(Role.INTERVENANT, here, last_name="Nombreux")
    client.force_login(author)
    assert MAX_RESULTS == 20
    assert len(search(client, site, "nombreux")) == 20


@pytest.mark.parametrize("count", [5, 300])
def test_constant_number_of_queries(client, site, here, author, count, django_assert_num_queries):
    organization = OrganizationFactory(name="Collectif Solidarité")
    give_area(organization, here)
    UserFactory.create_batch(count, role=Role.OPERATEUR, organization=organization)
    client.force_login(author)
    url = reverse("journal:audience_users", args=[site.pk])
    client.get(url, {"q": "solidarite"})  # warms the caches (session, content types)
    with django_assert_num_queries(QUERIES):
        response = client.get(url, {"q": "solidarite"})
    assert len(response.json()["results"]) == min(count, MAX_RESULTS)


#: Session, user, site, permission areas, the search: the same with 5 or 300 users.
QUERIES = 6


# --- The form -------------------------------------------------------------------------------------


def post(client, site, **data):
    return client.post(
        reverse("journal:post", args=[site.pk]),
        {"text": "Réunion avec la mairie.", "audience": Audience.CHOSEN, **data},
    )


def test_the_form_accepts_chosen_ids_and_typed_emails(client, site, here, author):
    chosen = member(Role.CORRESPONDANT, here)
    typed = member(Role.CORRESPONDANT, here, email="Claire.Typed@Exemple.test")
    client.force_login(author)
    response = post(client, site, users=[chosen.pk], users_emails=" claire.typed@exemple.test ,\n")
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert set(entry.audience_users.values_list("pk", flat=True)) == {chosen.pk, typed.pk}


def test_typed_emails_alone_are_an_audience(client, site, here, author):
    first = member(Role.CORRESPONDANT, here, email="un@exemple.test")
    second = member(Role.CORRESPONDANT, here, email="deux@exemple.test")
    client.force_login(author)
    response = post(
        client, site, users_emails="un@exemple.test\ndeux@exemple.test; un@exemple.test"
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert set(entry.audience_users.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_an_outsider_id_is_refused(client, site, author, outsider):
    client.force_login(author)
    response = post(client, site, users=[outsider.pk])
    assert response.status_code == 200
    assert "users" in response.context["form"].errors
    assert not Entry.objects.exists()


def test_a_forged_id_is_refused(client, site, author):
    client.force_login(author)
    response = post(client, site, users=["abc"])
    assert response.status_code == 200
    assert "users" in response.context["form"].errors
    assert not Entry.objects.exists()


def test_an_unknown_email_is_refused_and_named(client, site, here, author, outsider):
    known = member(Role.CORRESPONDANT, here, email="present@exemple.test")
    client.force_login(author)
    response = post(
        client,
        site,
        users_emails=f"present@exemple.test, inconnu@exemple.test, {outsider.email}",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["users"]
    assert len(errors) == 1
    # The message names the unknown addresses (and only those).
    assert "inconnu@exemple.test" in errors[0] and outsider.email in errors[0]
    assert known.email not in errors[0]
    assert not Entry.objects.exists()
    # The typed text is shown back, to be corrected.
    html = response.content.decode()
    assert 'value="present@exemple.test, inconnu@exemple.test' in html


@pytest.mark.parametrize(
    "data", [{"users_emails": "un\x00@exemple.test"}, {"users": ["1\x00"]}], ids=["email", "id"]
)
def test_a_null_character_is_a_form_error(client, site, author, data):
    """Found by the hostile-input tests: PostgreSQL refuses NUL in text, which answered 500."""
    client.force_login(author)
    response = post(client, site, **data)
    assert response.status_code == 200
    assert "users" in response.context["form"].errors
    assert not Entry.objects.exists()


def test_the_author_cannot_choose_themselves_by_email(client, site, author):
    client.force_login(author)
    response = post(client, site, users_emails=author.email)
    assert "users" in response.context["form"].errors


def test_the_form_without_the_private_right_has_no_users_field(site, here):
    form = EntryForm(site=site, author=member(Role.INTERVENANT, here))
    assert "users" not in form.fields
    assert not str(form.media)


# --- Rendering: only the chosen users ------------------------------------------------------------


def test_the_new_form_lists_nobody(client, site, here, author):
    people = [member(Role.CORRESPONDANT, here) for _ in range(3)]
    client.force_login(author)
    html = client.get(reverse("journal:post", args=[site.pk])).content.decode()
    assert 'name="users_emails"' in html
    assert "js/audience-autocomplete.js" in html
    assert reverse("journal:audience_users", args=[site.pk]) in html
    for person in people:
        assert person.get_full_name() not in html and person.email not in html


def test_the_edit_form_renders_only_the_chosen_users(client, site, here, author, outsider):
    organization = OrganizationFactory(abbreviation="ASSO")
    give_area(organization, here)
    territory = UserFactory.create_batch(300, role=Role.OPERATEUR, organization=organization)
    chosen = territory[0]
    entry = EntryFactory(site=site, author=author, audience=Audience.CHOSEN, users=[chosen])
    client.force_login(author)
    html = client.get(reverse("journal:edit", args=[entry.pk])).content.decode()
    assert re.search(rf'name="users"\s+value="{chosen.pk}"\s+id="[^"]+"\s+checked', html)
    assert f"{chosen.get_full_name()} (ASSO)" in html
    assert len(re.findall(r'type="checkbox"\s+name="users"', html)) == 1
    assert territory[299].email not in html
    assert territory[299].get_full_name() not in html
    assert outsider.get_full_name() not in html

    # Saving without touching the audience keeps it; unticking (posting nothing) empties it.
    response = client.post(
        reverse("journal:edit", args=[entry.pk]),
        {"text": "Modifié.", "audience": Audience.CHOSEN, "users": [chosen.pk]},
    )
    assert response.status_code == 302
    assert list(entry.audience_users.all()) == [chosen]


def test_the_page_weight_does_not_grow_with_the_territory(client, site, here, author):
    organization = OrganizationFactory()
    give_area(organization, here)
    UserFactory(role=Role.OPERATEUR, organization=organization)
    client.force_login(author)
    url = reverse("journal:post", args=[site.pk])

    def weight():
        response = client.get(url)
        assert response.status_code == 200
        assert 'name="audience"' in response.content.decode()  # the form, not a refusal
        return len(response.content)

    small = weight()
    UserFactory.create_batch(300, role=Role.OPERATEUR, organization=organization)
    large = weight()
    assert abs(large - small) < 100  # the CSRF token varies a little; no list of people


def test_changed_data_compares_the_chosen_users(site, here, author):
    chosen = member(Role.CORRESPONDANT, here)
    initial = {"text": "x", "audience": Audience.CHOSEN, "users": [chosen]}
    same = {"text": "x", "audience": Audience.CHOSEN, "users": [str(chosen.pk)]}
    form = EntryForm(same, initial=initial, site=site, author=author)
    assert "users" not in form.changed_data
    typed = {**same, "users_emails": "autre@exemple.test"}
    form = EntryForm(typed, initial=initial, site=site, author=author)
    assert "users" in form.changed_data
