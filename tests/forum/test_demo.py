"""The forum's demo data: questions with answers in several themes, one solved; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from forum import demo
from tests.directory.factories import UserFactory
from tests.forum.utils import Forum, Topic

pytestmark = pytest.mark.django_db


def test_without_the_demo_accounts_only_the_forums_are_created():
    assert demo.load_demo() == 0
    assert Forum.objects.count() == len(demo.THEME_FORUMS)
    assert not Topic.objects.exists()


def test_the_demo_questions_are_created_once():
    emails = {question[1] for question in demo.DEMO_QUESTIONS} | {
        email for question in demo.DEMO_QUESTIONS for email, _ in question[5]
    }
    for email in emails:
        UserFactory(email=email)
    out = StringIO()
    call_command("load_forum_demo", stdout=out)
    assert "3 question(s)" in out.getvalue()
    topics = Topic.objects.select_related("forum")
    assert topics.count() == 3
    assert len({topic.forum.name for topic in topics}) == 3
    assert all(topic.tags and topic.approved for topic in topics)
    solved = [topic for topic in topics if topic.is_solved]
    assert len(solved) == 1
    assert solved[0].solved_post.topic_id == solved[0].pk
    assert solved[0].solved_post.poster != solved[0].poster
    assert demo.load_demo() == 0
    assert Topic.objects.count() == 3 and Forum.objects.count() == len(demo.THEME_FORUMS)
