"""Erasure on request (GDPR): who may anonymise whom, what it does, and that the former name
and address are found nowhere afterwards — not in any page the crawl reaches, nor in any row
of any table (search documents, notifications, stored and queued emails, audit log…)."""

import html
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from directory.enums import AccessRequestStatus, Role, Topic, UserStatus
from directory.models import AccessRequest, AccountSession, OrganizationType, SignInEvent
from directory.services import access_requests, erasure
from journal import services as journal_services
from journal.enums import Audience
from tests.directory.factories import DEFAULT_PASSWORD, DepartmentFactory, UserFactory, give_area
from tests.forum.utils import make_topic
from tests.integration.test_crawl import crawl
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zéphyrine", "Quaglieri"
EMAIL = "zephyrine.quaglieri@exemple.test"
PHONE = "06 98 76 54 32"
FORMER = [LAST, EMAIL, "zephyrine.quaglieri", PHONE]


def national_admin(**kwargs):
    admin = UserFactory(role=Role.NATIONAL_ADMIN, **kwargs)
    give_area(admin, None)
    return admin


# --- Who may anonymise whom ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "actor, target, allowed",
    [
        ("national_admin", "member", True),
        ("national_admin", "local_admin", True),
        ("national_admin", "other_national_admin", True),
        ("superuser", "national_admin", True),
        ("national_admin", "self", False),
        ("national_admin", "superuser", False),
        ("national_admin", "anonymised", False),
        ("local_admin", "member", False),
        ("member", "other_member", False),
    ],
)
def test_who_may_anonymise_whom(client, actor, target, allowed):
    department = DepartmentFactory()
    people = {
        "national_admin": national_admin(),
        "other_national_admin": national_admin(),
        "superuser": UserFactory(is_superuser=True, is_staff=True, role=Role.NATIONAL_ADMIN),
        "local_admin": UserFactory(role=Role.LOCAL_ADMIN),
        "member": UserFactory(),
        "other_member": UserFactory(),
        "anonymised": UserFactory(anonymized_at=timezone.now()),
    }
    give_area(people["local_admin"], department)
    give_area(people["member"], department)
    people["self"] = people[actor]
    client.force_login(people[actor])
    url = reverse("directory_person_anonymize", args=[people[target].pk])
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == (302 if allowed else 403)
    people[target].refresh_from_db()
    assert (people[target].anonymized_at is not None) == (allowed or target == "anonymised")


def test_the_confirmation_names_the_consequences_and_must_be_ticked(client):
    admin, person = national_admin(), UserFactory()
    client.force_login(admin)
    url = reverse("directory_person_anonymize", args=[person.pk])
    page = client.get(url).content.decode()
    assert "Cette action est irréversible" in html.unescape(page)
    assert "Utilisateur anonymisé" in page
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Cochez la case pour confirmer." in str(response.context["form"].errors["confirm"])
    person.refresh_from_db()
    assert person.anonymized_at is None


# --- What it does -------------------------------------------------------------------------------


def test_anonymisation_replaces_the_identity_and_ends_the_account(client):
    admin = national_admin()
    person = UserFactory(
        first_name=FIRST,
        last_name=LAST,
        email=EMAIL,
        phone=PHONE,
        position="Médiatrice",
        expertise_topics=[Topic.HEALTH],
    )
    person_client = Client()
    person_client.force_login(person)
    SignInEvent.objects.create(user=person, succeeded=True, client_ip="192.0.2.4")
    assert AccountSession.objects.filter(user_id=person.pk).exists()

    erasure.anonymize_user(user=person, by=admin)

    person.refresh_from_db()
    assert str(person) == "Utilisateur anonymisé"
    assert person.email.endswith("@anonymise.invalid")
    assert (person.phone, person.position, person.expertise_topics) == ("", "", [])
    assert not person.is_active and person.status == UserStatus.INACTIVE
    assert not person.has_usable_password()
    assert not AccountSession.objects.filter(user_id=person.pk).exists()
    assert not SignInEvent.objects.filter(user=person).exists()
    assert person_client.get(reverse("account")).status_code == 302  # logged out
    response = Client().post(reverse("login"), {"username": EMAIL, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    entry = ModelLogEntry.objects.for_instance(person).get(action=erasure.ACTION_ANONYMIZE)
    assert entry.user_id == admin.pk
    with pytest.raises(erasure.AnonymizationError):
        erasure.anonymize_user(user=person, by=admin)


def test_closed_accounts_are_anonymised_after_thirty_days():
    now = timezone.now()
    due = UserFactory(closed_at=now - timedelta(days=31), is_active=False)
    waiting = UserFactory(closed_at=now - timedelta(days=29), is_active=False)
    reopened = UserFactory(closed_at=now - timedelta(days=40), is_active=True)
    call_command("anonymize_closed_accounts", stdout=StringIO())
    for user in (due, waiting, reopened):
        user.refresh_from_db()
    assert due.anonymized_at is not None and str(due) == "Utilisateur anonymisé"
    assert waiting.anonymized_at is None and reopened.anonymized_at is None
    entry = ModelLogEntry.objects.for_instance(due).get(action=erasure.ACTION_ANONYMIZE)
    assert entry.user_id is None and entry.data["closed_by_owner"]


# --- Found nowhere afterwards -------------------------------------------------------------------


def rows_mentioning(value: str) -> dict[str, int]:
    """Every table of the database whose rows, as text, contain `value` (any case)."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT count(*) FROM {quoted} AS t WHERE t::text ILIKE %s",  # noqa: S608
                [f"%{value}%"],
            )
            count = cursor.fetchone()[0]
            if count:
                found[table] = count
    return found


@pytest.fixture
def forums():
    from machina.core.db.models import get_model

    call_command("load_forum_demo", stdout=StringIO())
    return {forum.name: forum for forum in get_model("forum", "Forum").objects.all()}


@pytest.fixture
def authored_world(django_capture_on_commit_callbacks, forums):
    """A person who wrote in a site's journal and in the forum, asked for access (so the
    national admins were notified and emailed), and whose account was administered."""
    admin = national_admin(first_name="Anne", last_name="Admin")
    site = SitePageFactory()
    department = site.commune.department
    person = UserFactory(
        first_name=FIRST,
        last_name=LAST,
        email=EMAIL,
        phone=PHONE,
        position="Médiatrice",
        role=Role.LOCAL_ADMIN,
        expertise_topics=[Topic.HEALTH],
    )
    give_area(person, department)
    with django_capture_on_commit_callbacks(execute=True):
        request = access_requests.submit_access_request(
            first_name=FIRST,
            last_name=LAST,
            email=EMAIL,
            phone=PHONE,
            position="Médiatrice",
            new_organization_name="Association Les Tilleuls",
            new_organization_category="association",
            new_organization_type=OrganizationType.objects.get(name="Association"),
            reason="Je travaille avec Zéphyrine Quaglieri.",
        )
        AccessRequest.objects.filter(pk=request.pk).update(
            user=person, status=AccessRequestStatus.ACTIVATED
        )
        entry = journal_services.post_entry(
            site=site,
            author=person,
            text="Visite du terrain ce matin, situation stable.",
            audience=Audience.SITE_READERS,
        )
    topic = make_topic(forums["Santé"], person, subject="Scolarisation des enfants")
    SignInEvent.objects.create(user=person, succeeded=True, client_ip="192.0.2.8")
    call_command("rebuild_search_index", stdout=StringIO())
    return {"admin": admin, "person": person, "site": site, "entry": entry, "topic": topic}


def test_after_anonymisation_the_former_identity_appears_nowhere(client, authored_world):
    admin, person = authored_world["admin"], authored_world["person"]
    # Control: before, the identity is everywhere the test looks.
    assert rows_mentioning(LAST) and rows_mentioning(EMAIL)
    client.force_login(admin)
    page = client.get(reverse("directory_person", args=[person.pk])).content.decode()
    assert LAST in page

    response = client.post(
        reverse("directory_person_anonymize", args=[person.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302

    # No row of any table.
    for value in FORMER:
        assert rows_mentioning(value) == {}, value
    # The authored content stays, signed « Utilisateur anonymisé ».
    site, topic = authored_world["site"], authored_world["topic"]
    journal_page = client.get(reverse("journal:site", args=[site.pk])).content.decode()
    assert "Visite du terrain" in journal_page and "Utilisateur anonymisé" in journal_page
    topic_url = reverse(
        "forum_conversation:topic", args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk]
    )
    topic_page = client.get(topic_url).content.decode()
    assert "Comment faire" in topic_page and "Utilisateur anonymisé" in topic_page
    # No page the national admin reaches.
    visited, failures = crawl(
        client,
        [
            reverse("directory_person", args=[person.pk]),
            reverse("directory_index") + "?vue=personnes&inactifs=on",
            site.url,
            reverse("journal:site", args=[site.pk]),
            topic_url,
            "/entraide/",
            "/notifications/",
            "/recherche/?q=M%C3%A9diatrice",  # the former position, in the person's document
            reverse("access_request_list") + "?status=activated",
            reverse("access_request_detail", args=[AccessRequest.objects.get().pk]),
        ],
    )
    assert failures == []
    # The search page repeats the query: what matters is that the name finds nothing.
    response = client.get("/recherche/", {"q": LAST})
    assert reverse("directory_person", args=[person.pk]) not in response.content.decode()
    assert sum(1 for status, _body in visited.values() if status == 200) >= 10
    for url, (_status, body) in visited.items():
        if body:
            text = html.unescape(body)
            for value in FORMER:
                assert value.lower() not in text.lower(), (value, url)
