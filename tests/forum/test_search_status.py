"""The search index follows the writes of the forum that bypass `save()` (issue 16, item 3)."""

import pytest

from search.models import SearchDocument
from tests.forum.utils import answer, department, make_topic, person, solve_url

pytestmark = pytest.mark.django_db


def _status(topic):
    return SearchDocument.objects.get(ref=f"topic:{topic.pk}").status


def test_solving_and_reopening_a_question_updates_its_search_document(client, forum):
    place = department("93")
    author, helper = person(place), person(place, first_name="Inès", last_name="Martin")
    topic = make_topic(forum, author, subject="Domiciliation des familles")
    accepted = answer(topic, helper, content="Le CCAS peut domicilier.")
    assert _status(topic) == "unsolved"
    client.force_login(author)
    assert client.post(solve_url(topic), {"post": accepted.pk}).status_code == 302
    assert _status(topic) == "solved"
    page = client.get("/recherche/", {"q": "domiciliation"}).content.decode()
    assert "Question résolue" in page and "Question non résolue" not in page
    assert client.post(solve_url(topic), {"unsolve": "1"}).status_code == 302
    assert _status(topic) == "unsolved"


def test_the_demo_questions_solved_are_solved_in_the_index():
    from forum import demo
    from tests.directory.factories import UserFactory
    from tests.forum.utils import Topic

    emails = {question[1] for question in demo.DEMO_QUESTIONS} | {
        email for question in demo.DEMO_QUESTIONS for email, _text in question[5]
    }
    for email in emails:
        UserFactory(email=email)
    demo.load_demo()
    solved = Topic.objects.exclude(solved_post=None)
    assert solved and all(_status(topic) == "solved" for topic in solved)
