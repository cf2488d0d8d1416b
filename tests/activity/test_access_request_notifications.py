"""Access requests: the administrators who may decide are told in the platform, and by email
unless they turned that kind off (directory/notifications.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from notifications.models import Notification

from activity import preferences
from activity.enums import NotificationKind
from directory.enums import Role, UserStatus
from directory.models import AccessRequest
from directory.services import access_requests as services
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db

KIND = NotificationKind.ACCESS_REQUEST


def admin(role, territory, **kwargs):
    user = UserFactory(role=role, **kwargs)
    give_area(user, territory)
    return user


@pytest.fixture
def people():
    here = DepartmentFactory()
    elsewhere = DepartmentFactory(region=here.region)
    return {
        "here": here,
        "local here": admin(Role.LOCAL_ADMIN, here),
        "local here, opted out": admin(Role.LOCAL_ADMIN, here),
        "local here, inactive": admin(Role.LOCAL_ADMIN, here, status=UserStatus.INACTIVE),
        "local elsewhere": admin(Role.LOCAL_ADMIN, elsewhere),
        "national": admin(Role.NATIONAL_ADMIN, None),
        "field worker here": admin(Role.INTERVENANT, here),
    }


def submit(territory):
    return services.submit_access_request(
        first_name="Camille",
        last_name="Martin",
        email="camille.martin@asso.test",
        position="Coordinatrice",
        organization=OrganizationFactory(),
        territory=territory,
        reason="Accompagnement social.",
    )


def queued_to():
    rows = DBTaskResult.objects.filter(task_path="core.tasks.send_email")
    return sorted(row.args_kwargs["kwargs"]["to"][0] for row in rows)


# who → (in-app notification, email)
TOLD = {
    "local here": (True, True),
    "local here, opted out": (True, False),
    "local here, inactive": (False, False),
    "local elsewhere": (False, False),
    "national": (False, False),  # a local admin decides: the national ones are not bothered
    "field worker here": (False, False),
}


@pytest.mark.parametrize("who", TOLD)
def test_who_is_told_of_a_new_request(people, who):
    preferences.set_preference(people["local here, opted out"], KIND, False)
    access_request = submit(CommuneFactory(department=people["here"]))
    in_app, by_email = TOLD[who]
    user = people[who]
    notification = Notification.objects.filter(recipient=user).first()
    assert (notification is not None) is in_app
    if notification:
        assert notification.data["kind"] == KIND
        assert notification.data["url"] == reverse(
            "access_request_detail", kwargs={"pk": access_request.pk}
        )
        assert "Camille Martin" in notification.verb
    assert (user.email in queued_to()) is by_email


def test_national_admins_decide_when_no_local_admin(people):
    submit(DepartmentFactory())  # a department without a local admin
    assert list(Notification.objects.values_list("recipient", flat=True)) == [people["national"].pk]


def test_decider_emails_carry_a_one_click_unsubscribe_link(people):
    submit(people["here"])
    rows = DBTaskResult.objects.filter(task_path="core.tasks.send_email")
    (email,) = [
        row.args_kwargs["kwargs"]
        for row in rows
        if row.args_kwargs["kwargs"]["to"] == [people["local here"].email]
    ]
    path = preferences.unsubscribe_path(people["local here"], KIND)
    assert email["headers"]["List-Unsubscribe"] == f"<http://localhost:8000{path}>"
    assert email["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert path in email["body"]
    # The applicant's acknowledgement is not a notification: no unsubscribe link.
    (to_applicant,) = [
        row.args_kwargs["kwargs"]
        for row in rows
        if row.args_kwargs["kwargs"]["to"] == ["camille.martin@asso.test"]
    ]
    assert not to_applicant["headers"]


def test_reminders_notify_the_deciders_again(people):
    access_request = submit(people["here"])
    Notification.objects.all().delete()
    AccessRequest.objects.filter(pk=access_request.pk).update(
        created_at=timezone.now() - timedelta(days=3, minutes=1)
    )
    services.send_reminders()
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        people["local here"].pk,
        people["local here, opted out"].pk,
    }
