"""Posting, editing, deleting, reporting and moderating: who may, what is kept, who is told."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from activity.enums import NotificationKind
from directory.enums import Role, UserStatus
from journal import moderation, perms, services, tasks
from journal.enums import Audience, EntryState, ReportStatus
from journal.models import Attachment, Entry, EntryRevision, Report
from journal.notifications import moderation_recipients
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.journal.conftest import PDF_BYTES
from tests.journal.factories import EntryFactory, ReportFactory, tag
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def here():
    return DepartmentFactory()


@pytest.fixture
def site(here):
    return SitePageFactory(commune=CommuneFactory(department=here))


def member(role, territory, **kwargs):
    user = UserFactory(role=role, **kwargs)
    give_area(user, territory)
    return user


# --- Rights as a table --------------------------------------------------------------------------

# role, area ("here", "elsewhere", "nation"): post, post private, moderate
RIGHTS = [
    (Role.NATIONAL_ADMIN, "nation", True, True, True),
    (Role.LOCAL_ADMIN, "here", True, True, True),
    (Role.LOCAL_ADMIN, "elsewhere", False, False, False),
    (Role.CORRESPONDANT, "here", True, True, False),
    (Role.CORRESPONDANT, "elsewhere", False, False, False),
    (Role.ACTEUR_NATIONAL, "nation", True, False, False),
    (Role.PARTENAIRE_INSTITUTIONNEL, "here", True, True, False),
    (Role.OPERATEUR, "here", True, True, False),
    (Role.INTERVENANT, "here", True, False, False),
    (Role.OBSERVATEUR_EXTERNE, "here", False, False, False),
]


@pytest.mark.parametrize(("role", "area", "post", "private", "moderate"), RIGHTS)
def test_rights(site, here, role, area, post, private, moderate):
    places = {"here": here, "elsewhere": DepartmentFactory(), "nation": None}
    user = member(role, places[area])
    assert perms.can_post(user, site) is post
    assert perms.can_post_private(user, site) is private
    assert perms.can_moderate(user, site) is moderate
    assert perms.can_use_moderation_queue(user) is (role in (Role.NATIONAL_ADMIN, Role.LOCAL_ADMIN))
    expected = list(Audience.values) if private else [Audience.SITE_READERS] if post else []
    assert perms.allowed_audiences(user, site) == expected


def test_private_audience_needs_the_right(client, site, here):
    intervenant = member(Role.INTERVENANT, here)
    client.force_login(intervenant)
    url = reverse("journal:post", args=[site.pk])
    response = client.post(url, {"text": "Privé", "audience": Audience.STATE_SERVICES})
    assert response.status_code == 200
    assert "audience" in response.context["form"].errors
    assert not Entry.objects.exists()
    html = client.get(reverse("journal:site", args=[site.pk])).content.decode()
    assert f'value="{Audience.STATE_SERVICES}"' not in html
    assert f'value="{Audience.SITE_READERS}"' in html


def test_chosen_audience_needs_someone(client, site, here):
    client.force_login(member(Role.CORRESPONDANT, here))
    response = client.post(
        reverse("journal:post", args=[site.pk]), {"text": "x", "audience": Audience.CHOSEN}
    )
    assert response.status_code == 200
    assert "organizations" in response.context["form"].errors


def test_observers_cannot_post(client, site, here):
    client.force_login(member(Role.OBSERVATEUR_EXTERNE, here))
    response = client.post(
        reverse("journal:post", args=[site.pk]), {"text": "x", "audience": Audience.SITE_READERS}
    )
    assert response.status_code == 404
    html = client.get(site.url).content.decode()
    assert 'id="journal"' in html and 'class="journal-form"' not in html


def test_post_with_tags_and_attachment(
    client, site, here, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    author = member(Role.OPERATEUR, here)
    reader = member(Role.INTERVENANT, here)
    client.force_login(author)
    fire = tag("Incendie")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("journal:post", args=[site.pk]),
            {
                "text": "Un **incendie** cette nuit.",
                "audience": Audience.SITE_READERS,
                "tags": [fire.pk],
                "attachments": [SimpleUploadedFile("photo.pdf", PDF_BYTES)],
                "next": site.url,
            },
        )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert response["Location"] == f"{site.url}#message-{entry.pk}"
    assert entry.author == author and list(entry.tags.all()) == [fire]
    assert entry.text_html == "<p>Un <strong>incendie</strong> cette nuit.</p>"
    assert entry.attachments.get().name == "photo.pdf"
    assert ModelLogEntry.objects.filter(action=services.ACTION_POST, user=author).exists()

    # The readers are told by a background task, not in the author's request.
    queued = DBTaskResult.objects.get(task_path="journal.tasks.notify_new_entry")
    assert queued.args_kwargs["kwargs"] == {"entry_id": entry.pk}
    with mock.patch("journal.notifications.notify", return_value=1) as notify:
        assert tasks.notify_new_entry.call(entry_id=entry.pk) == 1
    kwargs = notify.call_args.kwargs
    assert kwargs["kind"] == NotificationKind.JOURNAL_ENTRY
    assert [user.pk for user in kwargs["recipients"]] == [reader.pk]
    assert kwargs["actor"] == author
    assert kwargs["email_template"] == "journal/emails/new_entry.txt"
    assert kwargs["email_context"]["url"].endswith(entry.get_absolute_url())

    # Hidden or deleted before the task runs: nobody is told.
    services.hide_entry(entry=entry, by=member(Role.LOCAL_ADMIN, here), reason="Doublon")
    with mock.patch("journal.notifications.notify") as notify:
        assert tasks.notify_new_entry.call(entry_id=entry.pk) == 0
        assert tasks.notify_new_entry.call(entry_id=entry.pk + 1000) == 0
    assert notify.call_count == 0


def test_unsafe_next_is_ignored(client, site, here):
    client.force_login(member(Role.OPERATEUR, here))
    response = client.post(
        reverse("journal:post", args=[site.pk]),
        {"text": "x", "audience": Audience.SITE_READERS, "next": "https://ailleurs.test/"},
    )
    stream = reverse("journal:site", args=[site.pk])
    assert response["Location"] == f"{stream}#message-{Entry.objects.get().pk}"


# --- Edit and delete ----------------------------------------------------------------------------


def test_the_author_edits_and_the_history_is_kept(client, site, here):
    author = member(Role.OPERATEUR, here)
    entry = EntryFactory(site=site, author=author, text="Première version", tags=[tag("Canicule")])
    client.force_login(author)
    url = reverse("journal:edit", args=[entry.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Deuxième version", "audience": Audience.SITE_READERS})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Deuxième version" and entry.edited_at is not None
    assert list(entry.tags.all()) == []
    revision = EntryRevision.objects.get(entry=entry)
    assert revision.text == "Première version" and revision.tags == ["Canicule"]
    assert revision.replaced_by == author
    page = client.get(reverse("journal:entry", args=[entry.pk])).content.decode()
    assert "Première version" in page  # the author sees the previous versions


@pytest.mark.parametrize(
    ("who", "edit", "delete"),
    [
        ("author", 200, 200),
        ("other member", 404, 404),
        ("moderator", 404, 200),
    ],
)
def test_who_edits_and_deletes(client, site, here, who, edit, delete):
    author = member(Role.OPERATEUR, here)
    users = {
        "author": author,
        "other member": member(Role.OPERATEUR, here),
        "moderator": member(Role.LOCAL_ADMIN, here),
    }
    entry = EntryFactory(site=site, author=author)
    client.force_login(users[who])
    assert client.get(reverse("journal:edit", args=[entry.pk])).status_code == edit
    assert client.get(reverse("journal:delete", args=[entry.pk])).status_code == delete


def test_delete_asks_for_confirmation_then_removes_the_files(
    client, site, here, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    author = member(Role.OPERATEUR, here)
    entry = services.post_entry(
        site=site,
        author=author,
        text="À supprimer",
        audience=Audience.SITE_READERS,
        uploads=[SimpleUploadedFile("a.pdf", PDF_BYTES)],
    )
    stored = entry.attachments.get().file.name
    storage = Attachment._meta.get_field("file").storage
    assert storage.exists(stored)
    client.force_login(author)
    url = reverse("journal:delete", args=[entry.pk])
    assert client.get(url).status_code == 200
    assert Entry.objects.filter(pk=entry.pk).exists()  # GET only asks
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post(url).status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()
    # The files go only once the deletion is committed: a rollback would leave them in place.
    assert storage.exists(stored)
    assert callbacks
    for callback in callbacks:
        callback()
    assert not storage.exists(stored)
    assert ModelLogEntry.objects.filter(action=services.ACTION_DELETE, user=author).exists()


def test_hidden_entries_cannot_be_edited_by_their_author(client, site, here):
    author = member(Role.OPERATEUR, here)
    entry = EntryFactory(site=site, author=author)
    services.hide_entry(entry=entry, by=member(Role.LOCAL_ADMIN, here), reason="Hors charte")
    client.force_login(author)
    assert client.get(reverse("journal:edit", args=[entry.pk])).status_code == 404
    assert client.get(reverse("journal:entry", args=[entry.pk])).status_code == 404


# --- Reports and moderation ---------------------------------------------------------------------


def test_report_hide_restore_dismiss_flow(client, site, here, django_capture_on_commit_callbacks):
    author = member(Role.OPERATEUR, here)
    reader = member(Role.INTERVENANT, here)
    moderator = member(Role.LOCAL_ADMIN, here)
    outsider = member(Role.LOCAL_ADMIN, DepartmentFactory())
    entry = EntryFactory(site=site, author=author, text="Propos-Marqueur")

    client.force_login(author)
    assert client.get(reverse("journal:report", args=[entry.pk])).status_code == 404  # own
    client.force_login(reader)
    report_url = reverse("journal:report", args=[entry.pk])
    assert client.post(report_url, {"reason": ""}).status_code == 200  # reason required
    assert not Report.objects.exists()
    assert client.post(report_url, {"reason": "Propos racistes"}).status_code == 302
    assert Report.objects.get().status == ReportStatus.OPEN
    assert client.get(reverse("journal:moderation")).status_code == 404  # not a moderator

    client.force_login(outsider)
    queue = client.get(reverse("journal:moderation"))
    assert queue.status_code == 200 and "Propos-Marqueur" not in queue.content.decode()
    assert client.get(reverse("journal:hide", args=[entry.pk])).status_code == 404

    client.force_login(moderator)
    queue = client.get(reverse("journal:moderation")).content.decode()
    assert "Propos-Marqueur" in queue and "Propos racistes" in queue
    hide_url = reverse("journal:hide", args=[entry.pk])
    response = client.post(hide_url, {"reason": "  "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    with mock.patch("journal.notifications.notify", return_value=1) as notify:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                hide_url,
                {"reason": "Propos contraires à la charte", "next": "/journal/moderation/"},
            )
    assert response.status_code == 302 and response["Location"] == "/journal/moderation/"
    entry.refresh_from_db()
    assert entry.state == EntryState.HIDDEN and entry.hidden_by == moderator
    assert Report.objects.get().status == ReportStatus.ACTED
    kwargs = notify.call_args.kwargs
    assert kwargs["kind"] == NotificationKind.MODERATION
    assert kwargs["recipients"] == [author]
    assert kwargs["email_context"]["reason"] == "Propos contraires à la charte"
    assert kwargs["email_template"] == "journal/emails/entry_hidden.txt"
    log = ModelLogEntry.objects.get(action=services.ACTION_HIDE)
    assert log.user == moderator and log.data["reason"] == "Propos contraires à la charte"
    assert log.timestamp is not None

    # Hidden: gone for readers, kept for the moderator with its reason.
    client.force_login(reader)
    assert "Propos-Marqueur" not in client.get(site.url).content.decode()
    client.force_login(moderator)
    queue = client.get(reverse("journal:moderation")).content.decode()
    assert f'id="hidden-message-{entry.pk}"' in queue
    assert "Propos contraires à la charte" in queue

    restore_url = reverse("journal:restore", args=[entry.pk])
    assert client.post(restore_url, {"reason": ""}).status_code == 200
    assert client.post(restore_url, {"reason": "Erreur de ma part"}).status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.PUBLISHED and entry.hidden_reason == ""
    assert ModelLogEntry.objects.get(action=services.ACTION_RESTORE).user == moderator

    ReportFactory(entry=entry, reporter=reader)
    dismiss_url = reverse("journal:dismiss", args=[entry.pk])
    assert client.post(dismiss_url, {"reason": "Rien d’anormal"}).status_code == 302
    assert not Report.objects.filter(status=ReportStatus.OPEN).exists()
    assert ModelLogEntry.objects.get(action=services.ACTION_DISMISS).data == {
        "reason": "Rien d’anormal"
    }
    assert client.get(dismiss_url).status_code == 404  # nothing left to dismiss
    detail = client.get(reverse("journal:entry", args=[entry.pk])).content.decode()
    assert "Erreur de ma part" in detail  # the log is on the entry page for moderators


def test_queue_filters_by_department(client):
    first, second = DepartmentFactory(), DepartmentFactory()
    moderator = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(moderator, None)
    entries = {}
    for department in (first, second):
        site = SitePageFactory(commune=CommuneFactory(department=department))
        entries[department.code] = EntryFactory(site=site, text=f"Marqueur-{department.code}")
        ReportFactory(entry=entries[department.code])
    client.force_login(moderator)
    html = client.get(reverse("journal:moderation")).content.decode()
    assert f"Marqueur-{first.code}" in html and f"Marqueur-{second.code}" in html
    html = client.get(reverse("journal:moderation"), {"departement": first.code}).content.decode()
    assert f"Marqueur-{first.code}" in html and f"Marqueur-{second.code}" not in html
    assert client.get(reverse("journal:moderation"), {"departement": "zz"}).status_code == 200


def test_moderation_queue_querysets(site, here):
    """What the queue lists: the entries of the moderator's territory, reported ones (open
    reports only), hidden ones, their departments, the decisions on them."""
    moderator = member(Role.LOCAL_ADMIN, here)
    elsewhere = DepartmentFactory()
    outside = EntryFactory(site=SitePageFactory(commune=CommuneFactory(department=elsewhere)))
    ReportFactory(entry=outside)
    reported = EntryFactory(site=site)
    first, second = ReportFactory(entry=reported), ReportFactory(entry=reported)
    ReportFactory(entry=reported, status=ReportStatus.DISMISSED)
    handled = EntryFactory(site=site)
    ReportFactory(entry=handled, status=ReportStatus.DISMISSED)
    hidden = EntryFactory(site=site)
    services.hide_entry(entry=hidden, by=moderator, reason="Hors charte")

    moderated = Entry.objects.moderated_by(moderator)
    assert set(moderated) == {reported, handled, hidden}
    assert list(moderated.reported()) == [reported]
    assert list(moderated.recently_hidden()) == [hidden]
    assert list(moderated.departments()) == [here]
    assert [log.action for log in moderation.decisions(moderated)] == [services.ACTION_HIDE]
    assert not moderation.decisions(
        Entry.objects.moderated_by(member(Role.NATIONAL_ADMIN, None)).in_department(elsewhere.code)
    )
    (row,) = moderation.reported_rows(list(moderated.reported()))
    assert row["entry"] == reported and set(row["reports"]) == {first, second}
    assert set(Report.objects.open().filter(entry__site=site)) == {first, second}

    national = Entry.objects.moderated_by(member(Role.NATIONAL_ADMIN, None))
    assert list(national.departments()) == sorted([here, elsewhere], key=lambda d: d.code)
    assert list(national.in_department(elsewhere.code).reported()) == [outside]
    assert not Entry.objects.moderated_by(member(Role.CORRESPONDANT, here)).exists()
    assert (
        not Entry.objects.moderated_by(member(Role.LOCAL_ADMIN, elsewhere))
        .filter(site=site)
        .exists()
    )


# (author state, moderator is the author) -> told
@pytest.mark.parametrize(
    ("author_state", "self_moderated", "told"),
    [
        ("active", False, True),
        ("inactive", False, False),
        ("deactivated", False, False),
        ("active", True, False),
    ],
)
def test_moderation_recipients(site, here, author_state, self_moderated, told):
    author = member(
        Role.LOCAL_ADMIN,
        here,
        status=UserStatus.INACTIVE if author_state == "inactive" else UserStatus.ACTIVE,
        is_active=author_state != "deactivated",
    )
    moderator = author if self_moderated else member(Role.LOCAL_ADMIN, here)
    entry = EntryFactory(site=site, author=author)
    assert moderation_recipients(entry, moderator) == ([author] if told else [])
