"""Concurrent writes to one site: nothing is lost, every refusal is explained (issue 15).

Each race is repeated: the rendezvous (tests/concurrency/harness.py) holds both requests just
before publishing, which, without the site's lock, lets both pass the conflict check first.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from directory.enums import Role
from sitepages import services
from sitepages.enums import ClosingCause
from sitepages.models import SiteIndexPage, SitePage
from tests.concurrency.harness import Rendezvous, logged_in, post, race
from tests.directory.factories import CommuneFactory, DepartmentFactory
from tests.sitepages.edit_support import form_payload, page_payload, site_in, user_with

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 50
CONFLICT_MESSAGE = "Le site a été modifié pendant que vous le mettiez à jour"


@pytest.fixture
def rendezvous(monkeypatch):
    meeting = Rendezvous()
    meeting.install(monkeypatch, services, "_publish")
    return meeting


@pytest.fixture
def setting():
    here = DepartmentFactory()
    site = site_in(here, people=10, households=3)
    first = user_with(Role.LOCAL_ADMIN, here, first_name="Alice", last_name="Premier")
    second = user_with(Role.LOCAL_ADMIN, here, first_name="Bruno", last_name="Second")
    services.record_visit(site=site, user=first)  # a first revision, as on any real site
    return site, logged_in(first), logged_in(second)


def stored(site):
    return SitePage.objects.get(pk=site.pk)


def other_households(site):
    """A number of households other than the site's (and below its 10 people)."""
    return "4" if stored(site).households != 4 else "5"


def as_shown_now(site, payload):
    """The form as a GET would show it now: `payload` (the form shown once) with the values the
    earlier repetitions changed, based on the latest revision (a GET per repetition would
    cost more than the race it prepares)."""
    now = stored(site)
    return {
        **payload,
        "people": str(now.people),
        "households": str(now.households),
        "base_revision": str(now.latest_revision_id),
    }


def test_two_simultaneous_saves_of_one_site_lose_nothing(setting, rendezvous):
    """Both open the form, one changes the people, the other the households, both save at
    once: one save is accepted, the other refused with a 409 that names the change made
    meanwhile and keeps the input; never both accepted (one change silently lost)."""
    site, first, second = setting
    url = reverse("site_edit", args=[site.pk])
    shown_once = page_payload(first.get(url))  # same rights for both, hence the same form
    for repetition in range(REPETITIONS):
        people, households = str(100 + repetition), other_households(site)
        shown = as_shown_now(site, shown_once)
        first_data, second_data = {**shown, "people": people}, {**shown, "households": households}

        outcomes = race(
            post(first, url, first_data), post(second, url, second_data), rendezvous=rendezvous
        )

        statuses = sorted(outcome.status for outcome in outcomes)
        assert statuses == [302, 409], f"repetition {repetition}: {statuses}"
        accepted, refused = (0, 1) if outcomes[0].status == 302 else (1, 0)
        now = stored(site)
        if accepted == 0:
            assert str(now.people) == people and str(now.households) != households
        else:
            assert str(now.households) == households and str(now.people) != people
        refusal = outcomes[refused].response
        html = refusal.content.decode()
        assert CONFLICT_MESSAGE in html and 'id="edit-conflict"' in html
        form = refusal.context["form"]
        kept = households if refused == 1 else people
        assert form["households" if refused == 1 else "people"].value() == kept
        assert form["base_revision"].value() == str(now.latest_revision_id)


def test_saves_fired_together_keep_every_accepted_change(setting):
    """The same race left to the scheduler (no rendezvous): whatever the order, every accepted
    change is in the data and every other save was refused with the explanation."""
    site, first, second = setting
    url = reverse("site_edit", args=[site.pk])
    shown_once = page_payload(first.get(url))
    for repetition in range(5):
        people, households = str(300 + repetition), other_households(site)
        shown = as_shown_now(site, shown_once)
        first_data, second_data = {**shown, "people": people}, {**shown, "households": households}

        outcomes = race(post(first, url, first_data), post(second, url, second_data))

        assert {outcome.status for outcome in outcomes} <= {302, 409}
        assert 302 in {outcome.status for outcome in outcomes}
        now = stored(site)
        for outcome, (field, value) in zip(
            outcomes, [("people", people), ("households", households)], strict=True
        ):
            if outcome.status == 302:
                assert str(getattr(now, field)) == value
            else:
                assert CONFLICT_MESSAGE in outcome.response.content.decode()


def test_a_visit_recorded_during_an_edit_is_kept(setting, rendezvous):
    """A visit is no conflict for the site form: both are accepted, and both are in the data
    (the edit used to publish the state it read before the visit, erasing it)."""
    site, first, second = setting
    url = reverse("site_edit", args=[site.pk])
    visit = reverse("site_visit", args=[site.pk])
    for repetition in range(3):
        past = datetime.date(2020, 1, 1) + datetime.timedelta(days=repetition)
        services.record_visit(site=site, user=None, visited_at=past)
        data = page_payload(first.get(url), people=str(500 + repetition))
        revisions = stored(site).revisions.count()

        outcomes = race(post(first, url, data), post(second, visit, {}), rendezvous=rendezvous)

        assert [outcome.status for outcome in outcomes] == [302, 302]
        now = stored(site)
        assert now.revisions.count() == revisions + 2
        assert now.people == 500 + repetition, f"repetition {repetition}: the edit was lost"
        assert now.last_visited_at == timezone.localdate(), (
            f"repetition {repetition}: the visit was lost"
        )


def test_a_closing_saved_during_an_edit_is_kept(setting, rendezvous):
    """Closing the site while someone saves the site form: both accepted, the site is closed
    and holds the edit (the edit used to reopen it by publishing the state it read before)."""
    site, first, second = setting
    url = reverse("site_edit", args=[site.pk])
    close = reverse("site_close", args=[site.pk])
    data = page_payload(first.get(url), people="42")
    closing = form_payload(
        second.get(close).context["form"],
        closing_cause=ClosingCause.RESORPTION,
        closed_with_solutions="False",
    )

    outcomes = race(post(first, url, data), post(second, close, closing), rendezvous=rendezvous)

    assert [outcome.status for outcome in outcomes] == [302, 302]
    now = stored(site)
    assert now.people == 42 and now.is_closed


def test_two_simultaneous_deletions_of_one_decree(setting, monkeypatch, settings, tmp_path):
    """Both press « Supprimer » on the same decree: one deletion, one audit entry, the other
    told the decree was already deleted; no 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    site, first, second = setting
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, services, "_log_decree")
    upload = SimpleUploadedFile("arrete.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    upload.detected_kind = "pdf"
    attachment = services.add_decree(site=site, user=None, title="Arrêté", upload=upload)
    url = reverse("site_attachment_delete", args=[site.pk, attachment.pk])

    outcomes = race(post(first, url, {}), post(second, url, {}), rendezvous=rendezvous)

    assert [outcome.status for outcome in outcomes] == [302, 302]
    assert not site.decree_attachments.exists()
    entries = PageLogEntry.objects.filter(page=site, action="sitepages.decree_deleted")
    assert entries.count() == 1
    told = [
        str(message)
        for outcome in outcomes
        for message in get_messages(outcome.response.wsgi_request)
    ]
    assert any("avait déjà été supprimé" in message for message in told), told


def declaration(client, commune, name):
    return page_payload(
        client.get(reverse("site_create")),
        name=name,
        commune=f"commune:{commune.pk}",
        declared_at=timezone.localdate().isoformat(),
        people="12",
        households="4",
    )


def test_two_sites_declared_at_once_in_one_department(monkeypatch):
    """Two first declarations in a department at once create its index page once and both
    sites (the page tree gave both the same path: a 500); so do two more, under the index."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, services, "_refresh_title")
    for repetition in range(3):
        here = DepartmentFactory()
        commune = CommuneFactory(department=here)
        clients = [logged_in(user_with(Role.CORRESPONDANT, here)) for _ in range(2)]
        for round_ in (1, 2):  # without, then with the department's index page
            names = [f"Site {repetition}-{round_}-{n}" for n in (1, 2)]
            data = [
                declaration(client, commune, name)
                for client, name in zip(clients, names, strict=True)
            ]

            outcomes = race(
                *(
                    post(client, reverse("site_create"), payload)
                    for client, payload in zip(clients, data, strict=True)
                ),
                rendezvous=rendezvous,
            )

            assert [outcome.status for outcome in outcomes] == [302, 302], (repetition, round_)
            assert SiteIndexPage.objects.filter(department=here).count() == 1
            assert set(
                SitePage.objects.filter(commune__department=here).values_list("name", flat=True)
            ) >= set(names)
        assert SitePage.objects.filter(commune__department=here).count() == 4


def patch(client, url, data):
    return lambda: client.patch(url, data, format="json")


def test_two_simultaneous_api_updates_of_one_site_lose_nothing(setting, rendezvous):
    """The partner API's PATCH follows the screen's rule under the same race: one update is
    accepted, the other answers 409; never both 200 with one change silently lost."""
    from directory.models import User
    from tests.api.support import api_client

    site, first, second = setting
    clients = [
        api_client(User.objects.get(pk=client.session["_auth_user_id"]))
        for client in (first, second)
    ]
    url = f"/api/v1/sites/{site.pk}/modifier/"
    for repetition in range(10):
        base = stored(site).latest_revision_id
        people, households = 200 + repetition, int(other_households(site))
        outcomes = race(
            patch(clients[0], url, {"people": people, "base_revision": base}),
            patch(clients[1], url, {"households": households, "base_revision": base}),
            rendezvous=rendezvous,
        )
        statuses = sorted(outcome.status for outcome in outcomes)
        assert statuses == [200, 409], (
            f"repetition {repetition}: {statuses} {outcomes[0].response.content[:300]}"
        )
        now = stored(site)
        if outcomes[0].status == 200:
            assert now.people == people and now.households != households
        else:
            assert now.households == households and now.people != people


def test_a_decree_uploaded_while_its_site_is_deleted_leaves_no_file(
    monkeypatch, settings, tmp_path
):
    """An upload and the site's deletion at once: the upload comes first (its decree and file
    then go with the site) or answers 404 (nothing stored); never a decree file left on disk
    with no site (court decrees are sensitive)."""
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from sitepages import deletion

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, services, "lock_site")
    rendezvous.install(monkeypatch, deletion, "lock_site")
    here = DepartmentFactory()
    uploader, remover = (logged_in(user_with(Role.LOCAL_ADMIN, here)) for _ in range(2))
    for repetition in range(6):
        site = site_in(here, people=10)
        upload = SimpleUploadedFile("arrete.pdf", b"%PDF-1.4 test", content_type="application/pdf")

        outcomes = race(
            post(
                uploader,
                reverse("site_attachments", args=[site.pk]),
                {
                    "title": "Arrêté",
                    "file": upload,
                },
            ),
            post(remover, reverse("site_delete", args=[site.pk]), {"reason": "Doublon"}),
            rendezvous=rendezvous,
        )

        upload_status, delete_status = (outcome.status for outcome in outcomes)
        assert delete_status == 302, repetition
        assert upload_status in (302, 404), repetition
        assert not SitePage.objects.filter(pk=site.pk).exists()
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        left = [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
        assert left == [], f"repetition {repetition} ({upload_status}): {left}"


def test_a_correction_saved_during_the_anonymisation_never_brings_a_name_back(monkeypatch):
    """The weekly job empties the names of the private owners of a site closed for over a year
    while an administrator saves a correction of it (from a form that still shows the name):
    the correction is kept or refused with the change named, and the name never comes back
    (without the lock, the correction published the state it read before the job)."""
    from sitepages.enums import OwnerType
    from sitepages.models import SiteOwner

    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, services, "editable_state")
    here = DepartmentFactory()
    admin = logged_in(user_with(Role.LOCAL_ADMIN, here))
    today = timezone.localdate()
    for repetition in range(5):
        site = site_in(
            here,
            people=10,
            declared_at=today - datetime.timedelta(days=900),
            closed_at=today - datetime.timedelta(days=400),
            closing_cause=ClosingCause.UNKNOWN,
        )
        SiteOwner.objects.create(site=site, type=OwnerType.PRIVATE, name="Famille Exemple")
        SitePage.objects.get(pk=site.pk).save_revision().publish()  # a history with the name
        url = reverse("site_edit", args=[site.pk])
        correction = page_payload(admin.get(url), people=str(20 + repetition))
        assert "Famille Exemple" in correction.values()

        outcomes = race(
            post(admin, url, correction),
            services.anonymise_private_owners,
            rendezvous=rendezvous,
        )

        assert outcomes[1].error is None and outcomes[1].response == [site.pk], repetition
        assert outcomes[0].status in (302, 409), repetition
        now = stored(site)
        assert not SiteOwner.objects.filter(site=site).exclude(name="").exists(), repetition
        assert all("Famille Exemple" not in str(rev.content) for rev in now.revisions.all())
        if outcomes[0].status == 302:
            assert now.people == 20 + repetition
