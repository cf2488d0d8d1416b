"""Concurrent decisions on one access request (issue 15, part 2): two administrators decide
at once, one decision is taken, the other is told the request was already decided."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory.enums import AccessRequestStatus, Role
from directory.models import AccessRequest, User
from directory.services import access_requests as services
from tests.concurrency.harness import Rendezvous, logged_in, post, race
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.directory.test_access_requests import make_request

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 3


def test_two_administrators_deciding_one_request_at_once(monkeypatch):
    """One approves, the other refuses, at the same moment: one decision (one audit entry, at
    most one account), the other administrator told « Cette demande a déjà été traitée. »."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, services, "_check_decidable")
    here = DepartmentFactory()
    admins = []
    for _ in range(2):
        admin = UserFactory(role=Role.LOCAL_ADMIN)
        give_area(admin, here)
        admins.append(logged_in(admin))
    for repetition in range(REPETITIONS):
        email = f"demande{repetition}@asso.test"
        access_request = make_request(CommuneFactory(department=here), email=email)
        approve = reverse("access_request_approve", kwargs={"pk": access_request.pk})
        refuse = reverse("access_request_refuse", kwargs={"pk": access_request.pk})

        outcomes = race(
            post(admins[0], approve, {"role": Role.OPERATEUR}),
            post(admins[1], refuse, {"message": "Votre structure n’intervient pas ici."}),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        decided = AccessRequest.objects.get(pk=access_request.pk)
        assert decided.status in (AccessRequestStatus.APPROVED, AccessRequestStatus.REFUSED)
        decisions = ModelLogEntry.objects.filter(
            action__in=[services.ACTION_APPROVE, services.ACTION_REFUSE],
            object_id=str(access_request.pk),
        )
        assert decisions.count() == 1, repetition
        approved = decided.status == AccessRequestStatus.APPROVED
        assert User.objects.filter(email=email).exists() is approved
        said = [
            str(message)
            for outcome in outcomes
            for message in get_messages(outcome.response.wsgi_request)
        ]
        assert "Cette demande a déjà été traitée." in said, said
