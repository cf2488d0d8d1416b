"""List endpoints cost a constant number of SQL queries, whatever the number of objects: each
list of the API with 10 objects, then 500 (a page of 200 then lists more rows, and must not cost
more queries; without `select_related("poster")` the messages of a question cost 210 instead
of 20)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.enums import Role
from directory.models import Organization
from tests.api.support import api_client, member
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory
from tests.sitepages.factories import SitePageFactory
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum():
    from io import StringIO

    from django.core.management import call_command
    from machina.core.db.models import get_model

    call_command("load_forum_demo", stdout=StringIO())
    return get_model("forum", "Forum").objects.get(name="Santé")


def _queries(client, url, params=None) -> int:
    client.get(url, params)  # warm the per-request caches of permissions and charter
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.INTERVENANT])
def test_the_site_list_costs_the_same_with_10_and_500_sites(role):
    department = DepartmentFactory()
    user = member(role, None if role == Role.NATIONAL_ADMIN else department)
    client = api_client(user)
    params = {"statut": "tous", "taille": 200}
    bulk_sites(10, department=department)
    few = _queries(client, "/api/v1/sites/", params)
    bulk_sites(490, department=department)
    many = _queries(client, "/api/v1/sites/", params)
    assert many == few


def test_the_directory_costs_the_same_with_10_and_500_people():
    user = member(Role.INTERVENANT)
    client = api_client(user)
    UserFactory.create_batch(10)
    few = _queries(client, "/api/v1/utilisateurs/", {"taille": 200})
    UserFactory.create_batch(490)
    many = _queries(client, "/api/v1/utilisateurs/", {"taille": 200})
    assert many == few


# --- Every other list: 10 objects, then 500 (a page of 200 holds more rows, not more queries) ---


def _page(client, url, count) -> int:
    """Queries of one page of `url` (200 per page), after checking it lists `count` rows (at
    most a page): the larger run must really return more."""
    response = client.get(url, {"taille": 200})
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == min(count, 200), url
    return _queries(client, url, {"taille": 200})


def _compare(client, url, grow, expected_few=10, expected_many=500):
    grow(expected_few)
    few = _page(client, url, expected_few)
    grow(expected_many - expected_few)
    many = _page(client, url, expected_many)
    assert many == few, f"{url}: {few} queries with {expected_few}, {many} with {expected_many}"


def test_a_sites_journal_costs_the_same_with_10_and_500_messages():
    from journal.enums import Audience
    from journal.models import Entry

    department = DepartmentFactory()
    [site] = bulk_sites(1, department=department)
    user = member(Role.INTERVENANT, department)
    authors = [member(Role.OPERATEUR, department) for _ in range(3)]

    def grow(count):
        Entry.objects.bulk_create(
            Entry(
                site=site,
                author=authors[number % 3],
                text=f"Message {number}",
                text_html=f"<p>Message {number}</p>",
                audience=Audience.SITE_READERS,
            )
            for number in range(count)
        )

    _compare(api_client(user), f"/api/v1/sites/{site.pk}/journal/", grow)


def test_my_notifications_cost_the_same_with_10_and_500():
    from notifications.models import Notification

    user = member(Role.INTERVENANT)
    actors = UserFactory.create_batch(3)

    def grow(count):
        Notification.objects.bulk_create(
            Notification(
                recipient=user,
                actor_content_type=ContentType.objects.get_for_model(actors[0]),
                actor_object_id=str(actors[number % 3].pk),
                verb=f"a écrit {number}",
                data={"count": 2, "url": "/"},
            )
            for number in range(count)
        )

    _compare(api_client(user), "/api/v1/notifications/", grow)


def test_the_organisations_cost_the_same_with_10_and_500():
    from tests.directory.factories import OrganizationFactory

    user = member(Role.INTERVENANT)
    existing = Organization.objects.count()

    def grow(count):
        OrganizationFactory.create_batch(count)

    grow(10)
    few = _page(api_client(user), "/api/v1/organisations/", existing + 10)
    grow(490)
    many = _page(api_client(user), "/api/v1/organisations/", existing + 500)
    assert many == few


def test_the_actions_cost_the_same_with_10_and_500():
    from tests.actions.bulk import bulk_actions
    from tests.directory.factories import OrganizationFactory

    department = DepartmentFactory()
    sites = bulk_sites(2, department=department)
    user = member(Role.CORRESPONDANT, department)
    organization = OrganizationFactory()

    def grow(count):
        bulk_actions(
            count, department=department, organization=organization, pilot=user, sites=sites
        )

    _compare(api_client(user), "/api/v1/actions/", grow)


def test_a_questions_messages_cost_the_same_with_10_and_500(forum):
    from tests.forum.utils import Post, make_topic

    user = member(Role.INTERVENANT)
    posters = UserFactory.create_batch(3)
    topic = make_topic(forum, posters[0])

    def grow(count):
        Post.objects.bulk_create(
            Post(
                topic=topic,
                poster=posters[number % 3],
                subject=f"Re: {topic.subject}",
                content=f"Réponse {number}",
                approved=True,
            )
            for number in range(count)
        )

    # The question itself is the first message of the list.
    grow(9)
    few = _page(api_client(user), f"/api/v1/forum/questions/{topic.pk}/messages/", 10)
    grow(490)
    many = _page(api_client(user), f"/api/v1/forum/questions/{topic.pk}/messages/", 500)
    assert many == few


def test_the_questions_cost_the_same_with_10_and_500(forum):
    from django.utils import timezone

    from tests.forum.utils import Post, Topic

    user = member(Role.INTERVENANT)
    posters = UserFactory.create_batch(3)

    def grow(count):
        now = timezone.now()
        topics = Topic.objects.bulk_create(
            Topic(
                forum=forum,
                poster=posters[number % 3],
                subject=f"Question {number}",
                type=Topic.TOPIC_POST,
                status=Topic.TOPIC_UNLOCKED,
                approved=True,
                last_post_on=now,
                posts_count=1,
            )
            for number in range(count)
        )
        posts = Post.objects.bulk_create(
            Post(
                topic=topic, poster=topic.poster, subject=topic.subject, content="?", approved=True
            )
            for topic in topics
        )
        for topic, post in zip(topics, posts, strict=True):
            topic.first_post = topic.last_post = post
        Topic.objects.bulk_update(topics, ["first_post", "last_post"])

    _compare(api_client(user), "/api/v1/forum/questions/", grow)


def test_a_sites_history_costs_the_same_with_10_and_500_revisions():
    department = DepartmentFactory()
    site = SitePageFactory(commune=CommuneFactory(department=department))
    user = member(Role.INTERVENANT, department)
    editors = UserFactory.create_batch(3)
    site.save_revision(user=editors[0]).publish()

    def grow(count):
        for number in range(count):
            site.people = number
            site.save_revision(user=editors[number % 3])

    url = f"/api/v1/sites/{site.pk}/historique/"
    grow(10)
    client = api_client(user)
    few_rows = len(client.get(url, {"taille": 200}).json()["results"])
    few = _queries(client, url, {"taille": 200})
    grow(490)
    many_rows = len(client.get(url, {"taille": 200}).json()["results"])
    many = _queries(client, url, {"taille": 200})
    assert many_rows > few_rows
    assert many == few
