"""Forum questions and answers through the API: members only; approved messages and the reader's
own, never someone else's awaiting approval."""

import pytest

from directory.enums import Role
from tests.api.support import api_client, member
from tests.forum.conftest import forum, forums  # noqa: F401
from tests.forum.utils import answer, make_topic

pytestmark = pytest.mark.django_db


def test_members_read_approved_questions_and_answers(forum):  # noqa: F811
    author, reader = member(Role.INTERVENANT), member(Role.INTERVENANT)
    topic = make_topic(forum, author, subject="Accès à l'eau")
    answer(topic, author, content="Réponse validée")
    answer(topic, author, approved=False, content="Réponse en attente")
    hidden = make_topic(forum, author, approved=False, subject="Question en attente")
    client = api_client(reader)
    subjects = {row["subject"] for row in client.get("/api/v1/forum/questions/").json()["results"]}
    assert "Accès à l'eau" in subjects and "Question en attente" not in subjects
    posts = client.get(f"/api/v1/forum/questions/{topic.pk}/messages/").json()["results"]
    contents = " ".join(post["content"] for post in posts)
    assert "Réponse validée" in contents and "Réponse en attente" not in contents
    assert client.get(f"/api/v1/forum/questions/{hidden.pk}/messages/").status_code == 404
    own = api_client(author).get(f"/api/v1/forum/questions/{hidden.pk}/messages/")
    assert own.status_code == 200
