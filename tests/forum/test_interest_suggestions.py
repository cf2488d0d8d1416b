"""The forum's index suggests open questions tagged with the reader's interest topics."""

import pytest
from django.urls import reverse

from directory.enums import Topic as Theme
from tests.directory.factories import UserFactory
from tests.forum.utils import Topic, answer, make_topic

pytestmark = pytest.mark.django_db


def suggested(client, user):
    client.force_login(user)
    response = client.get(reverse("forum:index"))
    assert response.status_code == 200
    content = response.content.decode()
    if 'id="suggested-questions"' not in content:
        return ""
    section = content.split('id="suggested-questions"', 1)[1]
    return section.split("</section>", 1)[0]


def test_open_questions_on_my_topics_are_suggested(client, forum):
    reader = UserFactory(interest_topics=[Theme.HOUSING])
    asker = UserFactory()
    wanted = make_topic(forum, asker, subject="Relogement après expulsion", tags=[Theme.HOUSING])
    make_topic(forum, asker, subject="Vaccination des enfants", tags=[Theme.HEALTH])
    solved = make_topic(forum, asker, subject="Logement passerelle", tags=[Theme.HOUSING])
    reply = answer(solved, reader)
    Topic.objects.filter(pk=solved.pk).update(solved_post=reply)
    make_topic(forum, reader, subject="Ma propre question logement", tags=[Theme.HOUSING])
    content = suggested(client, reader)
    assert wanted.subject in content
    assert "Vaccination des enfants" not in content
    assert "Logement passerelle" not in content
    assert "Ma propre question logement" not in content


def test_nothing_is_suggested_without_interest_topics(client, forum):
    make_topic(forum, UserFactory(), subject="Relogement", tags=[Theme.HOUSING])
    assert suggested(client, UserFactory()) == ""
