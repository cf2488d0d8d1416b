"""The header bell, the notifications page, the preferences page: behaviour, access and SQL
query counts (flat from 10 to 1,000 notifications)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from notifications.models import Notification

from activity import preferences
from activity.enums import NotificationKind
from activity.services import create_notifications
from activity.templatetags.activity_tags import unread_count
from directory.enums import Role
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("activity:list")


def give_notifications(user, count, *, read=0, url="/annuaire/"):
    actor = UserFactory(first_name="Acteur", last_name="Marqueur")
    notifications = create_notifications(
        kind=NotificationKind.SITE_UPDATED,
        users=[user] * count,
        actor=actor,
        verb="Un site a été mis à jour",
        url=url,
    )
    if read:
        Notification.objects.filter(pk__in=[n.pk for n in notifications[:read]]).update(
            unread=False
        )
    return notifications


def bell(html):
    match = re.search(r'<a class="fr-btn fr-icon-notification-3-line"[^>]*>(.*?)</a>', html, re.S)
    return " ".join(match.group(1).split())


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


def test_the_bell_shows_the_unread_count(client):
    user = UserFactory()
    give_notifications(user, 5, read=2)
    give_notifications(UserFactory(), 4)  # someone else's
    client.force_login(user)
    html = client.get(reverse("account")).content.decode()
    assert bell(html).startswith("Notifications (3 ")  # « Notifications (3 non lues) »
    Notification.objects.filter(recipient=user).update(unread=False)
    assert bell(client.get(reverse("account")).content.decode()) == "Notifications"


def test_the_unread_count_is_one_query_cached_per_request(rf, django_assert_num_queries):
    user = UserFactory()
    give_notifications(user, 3)
    request = rf.get("/")
    request.user = user
    with django_assert_num_queries(1):
        assert unread_count(request) == 3
        assert unread_count(request) == 3


@pytest.mark.parametrize("url", [reverse("account"), LIST])
def test_query_counts_are_flat_from_10_to_1000_notifications(client, url):
    small, large = UserFactory(), UserFactory()
    give_notifications(small, 10, read=4)
    give_notifications(large, 1000, read=400)
    client.force_login(small)
    client.get(url)  # warm the per-process caches (content types, charter version)
    small_count, _ = queries_for(client, url)
    client.force_login(large)
    client.get(url)
    large_count, response = queries_for(client, url)
    assert small_count == large_count
    if url == LIST:
        assert len(response.context["page_obj"].object_list) == 20


def test_the_list_is_newest_first_marks_unread_and_paginates(client):
    user = UserFactory()
    notifications = give_notifications(user, 25)
    Notification.objects.filter(pk=notifications[0].pk).update(
        timestamp=timezone.now() + timezone.timedelta(minutes=5), verb="La plus récente"
    )
    Notification.objects.filter(pk=notifications[-1].pk).update(unread=False)
    client.force_login(user)
    response = client.get(LIST)
    page = response.context["page_obj"]
    assert page.object_list[0].verb == "La plus récente"
    assert page.paginator.count == 25 and len(page.object_list) == 20
    html = response.content.decode()
    assert html.count("fr-badge--new") == 19  # 20 on the page, one of them read
    assert client.get(LIST + "?page=2").context["page_obj"].number == 2
    assert client.get(LIST + "?page=abc").status_code == 200


def test_the_empty_state(client):
    client.force_login(UserFactory())
    response = client.get(LIST)
    assert response.status_code == 200
    assert 'class="fr-callout"' in response.content.decode()


def test_opening_marks_read_and_goes_to_the_object(client):
    user = UserFactory()
    (notification,) = give_notifications(user, 1, url="/annuaire/")
    client.force_login(user)
    response = client.get(reverse("activity:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/annuaire/"
    notification.refresh_from_db()
    assert notification.unread is False


def test_an_external_link_is_not_followed(client):
    user = UserFactory()
    (notification,) = give_notifications(user, 1, url="https://ailleurs.example/piege")
    client.force_login(user)
    response = client.get(reverse("activity:open", args=[notification.pk]))
    assert response["Location"] == LIST


def test_mark_one_and_mark_all_read(client):
    user = UserFactory()
    first, *others = give_notifications(user, 4)
    client.force_login(user)
    assert client.get(reverse("activity:mark_read", args=[first.pk])).status_code == 405
    response = client.post(
        reverse("activity:mark_read", args=[first.pk]), {"next": "https://ailleurs.example/"}
    )
    assert response["Location"] == LIST
    unread = Notification.objects.filter(unread=True).values_list("pk", flat=True)
    assert sorted(unread) == sorted(n.pk for n in others)
    assert client.get(reverse("activity:mark_all_read")).status_code == 405
    client.post(reverse("activity:mark_all_read"))
    assert not Notification.objects.filter(unread=True).exists()


@pytest.mark.parametrize("name", ["open", "mark_read"])
def test_nobody_touches_someone_elses_notification(client, name):
    (notification,) = give_notifications(UserFactory(), 1)
    client.force_login(UserFactory())
    method = client.get if name == "open" else client.post
    assert method(reverse(f"activity:{name}", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.unread is True


@pytest.mark.parametrize(
    "name",
    ["activity:list", "activity:preferences", "activity:feed"],
)
def test_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert (
        response.status_code == 302
        and "/connexion/" in response["Location"]
        or (response.status_code == 302 and "login" in response["Location"])
    )


def test_preferences_page_saves_one_choice_per_kind(client):
    user = UserFactory(role=Role.INTERVENANT)
    client.force_login(user)
    response = client.get(reverse("activity:preferences"))
    values = {choice[0] for choice in response.context["form"].fields["kinds"].choices}
    assert NotificationKind.ACCESS_REQUEST not in values  # administrators only
    assert set(response.context["form"].initial["kinds"]) == values  # everything on by default
    kept = [NotificationKind.SITE_CREATED, NotificationKind.WEEKLY_SUMMARY]
    response = client.post(reverse("activity:preferences"), {"kinds": kept})
    assert response.status_code == 302
    current = preferences.preferences_of(user)
    assert {kind for kind, on in current.items() if on} == set(kept)
    response = client.post(reverse("activity:preferences"), {"kinds": ["nimportequoi"]})
    assert response.status_code == 200 and response.context["form"].errors


def test_administrators_choose_access_request_emails(client):
    admin = UserFactory(role=Role.LOCAL_ADMIN)
    client.force_login(admin)
    response = client.get(reverse("activity:preferences"))
    values = {choice[0] for choice in response.context["form"].fields["kinds"].choices}
    assert NotificationKind.ACCESS_REQUEST in values
