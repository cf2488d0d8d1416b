"""Flat query counts on the forum's busiest pages: the index, a theme (forum) and a question,
whatever the number of forums, questions and answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.directory.factories import UserFactory
from tests.forum.utils import (
    Post,
    Topic,
    department,
    forum_url,
    local_admin,
    make_topic,
    person,
    topic_url,
)

pytestmark = pytest.mark.django_db


def add_answers(topic, posters, count):
    """`count` approved answers in one query, then machina's counters (as saving each would)."""
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            topic=topic,
            poster=posters[number % len(posters)],
            subject=f"Re: {topic.subject}",
            content=f"Réponse {number}",
            _content_rendered=f"<p>Réponse {number}</p>",
            approved=True,
            created=now,
            updated=now,
        )
        for number in range(count)
    )
    topic.update_trackers()
    topic.forum.update_trackers()


def count_queries(client, url):
    client.get(url)  # warm per-process caches and read tracking
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def reader(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_index_queries_do_not_grow_with_forums_or_posts(client, forums, reader):
    names = list(forums)
    posters = [UserFactory() for _ in range(3)]
    make_topic(forums[names[0]], posters[0])
    one_forum = count_queries(client, reverse("forum:index"))
    for name in names[1:]:
        topic = make_topic(forums[name], posters[1], subject=f"Question {name}")
        add_answers(topic, posters, 5)
    seven_forums = count_queries(client, reverse("forum:index"))
    add_answers(topic, posters, 500)
    many_posts = count_queries(client, reverse("forum:index"))
    print(f"index: {one_forum} / {seven_forums} / {many_posts} queries")  # noqa: T201
    assert one_forum == seven_forums == many_posts


def test_forum_page_queries_do_not_grow_with_topics_or_posts(client, forum, reader):
    posters = [UserFactory() for _ in range(3)]
    first = make_topic(forum, posters[0], tags=["health"])
    add_answers(first, posters, 9)
    small = count_queries(client, forum_url(forum))
    for number in range(25):
        make_topic(forum, posters[number % 3], subject=f"Question {number}", tags=["school"])
    add_answers(first, posters, 490)
    large = count_queries(client, forum_url(forum))
    print(f"forum page: {small} / {large} queries")  # noqa: T201
    assert small == large


def test_topic_page_queries_do_not_grow_with_posts(client, forums, reader):
    # One question per forum: machina's read tracking then takes the same path for both.
    posters = [UserFactory() for _ in range(4)]
    small_topic = make_topic(forums["Santé"], posters[0], subject="Dix messages")
    add_answers(small_topic, posters, 9)
    large_topic = make_topic(forums["Logement"], posters[0], subject="Cinq cents messages")
    add_answers(large_topic, posters, 499)
    Topic.objects.filter(pk=large_topic.pk).update(solved_post=large_topic.last_post)
    small = count_queries(client, topic_url(small_topic))
    large = count_queries(client, topic_url(large_topic))
    last_page = count_queries(client, topic_url(large_topic) + "?page=25")
    print(f"topic page: {small} / {large} / {last_page} queries")  # noqa: T201
    assert small == large == last_page


def test_topic_page_queries_for_a_moderator_do_not_grow_with_posters(client, forums):
    """A moderator sees edit/delete buttons on the posts of the authors of their territory: the
    territory of every poster is resolved at once."""
    place = department("93")
    client.force_login(local_admin(place))
    few_posters = [person(place), UserFactory()]  # one without an area, as in the large topic
    small_topic = make_topic(forums["Santé"], few_posters[0], subject="Deux auteurs")
    add_answers(small_topic, few_posters, 9)
    many_posters = [person(place) for _ in range(8)] + [person(department("69")) for _ in range(8)]
    many_posters += [UserFactory() for _ in range(3)]
    large_topic = make_topic(forums["Logement"], many_posters[0], subject="Vingt auteurs")
    add_answers(large_topic, many_posters, 19)
    small = count_queries(client, topic_url(small_topic))
    large = count_queries(client, topic_url(large_topic))
    print(f"topic page (moderator): {small} / {large} queries")  # noqa: T201
    assert small == large
    html = client.get(topic_url(large_topic)).content.decode()
    edit_links = html.count("/post/update/")
    assert 0 < edit_links < 20  # posts of the 69 and area-less authors have none
