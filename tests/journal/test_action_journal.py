"""The journal of an action: the site journal reused with an action as its target — the same
audiences, attachments, moderation, notifications, export and search, the action's department
as the territory, the action's readers (department, pilots, operators) as its readers and its
editors as its authors. Assertions are on markers."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.enums import Role, UserStatus
from journal import perms, services
from journal.enums import Audience
from journal.models import Entry
from journal.notifications import recipients_for_entry
from search import access as search_access
from tests.actions.factories import ActionFactory
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)
from tests.journal.conftest import PDF_BYTES, fresh
from tests.journal.factories import ReportFactory, organization_of_type
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

MARKERS = {
    "public": "Marqueur-Action-Public-3Q",
    "state": "Marqueur-Action-Prefecture-7M",
    "chosen": "Marqueur-Action-Choisi-5Z",
    "hidden": "Marqueur-Action-Masque-9X",
}
ALL = set(MARKERS)

# reader: (role, organisation key or None, own area or None, relation to the action)
READERS = {
    "national admin": (Role.NATIONAL_ADMIN, None, "nation", None),
    "local admin here": (Role.LOCAL_ADMIN, None, "here", None),
    "local admin elsewhere": (Role.LOCAL_ADMIN, None, "elsewhere", None),
    "préfecture here": (Role.CORRESPONDANT, "prefecture_here", None, None),
    "préfecture elsewhere": (Role.CORRESPONDANT, "prefecture_elsewhere", None, None),
    "chosen correspondant": (Role.CORRESPONDANT, "association", "here", None),
    "operator member elsewhere": (Role.OPERATEUR, "operator", "elsewhere", None),
    "pilot elsewhere": (Role.INTERVENANT, None, "elsewhere", "pilot"),
    "observateur elsewhere": (Role.OBSERVATEUR_EXTERNE, None, "elsewhere", None),
    "inactive local admin here": (Role.LOCAL_ADMIN, None, "here", None),
    "author": (Role.CORRESPONDANT, "association", "here", "pilot"),
}
#: reader -> the entries of the action's journal they read
EXPECTED = {
    "national admin": ALL,
    "local admin here": ALL,
    "local admin elsewhere": set(),
    "préfecture here": {"public", "state"},
    "préfecture elsewhere": {"public"},  # correspondants read actions everywhere
    "chosen correspondant": {"public", "chosen"},
    "operator member elsewhere": {"public"},
    "pilot elsewhere": {"public"},
    "observateur elsewhere": set(),
    "inactive local admin here": set(),
    "author": {"public", "state", "chosen"},
}
#: who may open the action's journal at all (its readers)
OPENS = {name for name, expected in EXPECTED.items() if expected}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    here = DepartmentFactory(region=RegionFactory())
    elsewhere = DepartmentFactory()
    places = {"here": here, "elsewhere": elsewhere, "nation": None}

    def organization(builder, area):
        org = builder()
        give_area(org, places[area])
        return org

    organizations = {
        "prefecture_here": organization(lambda: organization_of_type("Préfecture"), "here"),
        "prefecture_elsewhere": organization(
            lambda: organization_of_type("Préfecture"), "elsewhere"
        ),
        "association": organization(OrganizationFactory, "here"),
        "operator": organization(OrganizationFactory, "elsewhere"),
    }
    readers = {}
    for name, (role, org_key, area, _relation) in READERS.items():
        user = UserFactory(
            role=role,
            organization=organizations[org_key] if org_key else None,
            status=UserStatus.INACTIVE if name.startswith("inactive") else UserStatus.ACTIVE,
        )
        if area is not None:
            give_area(user, places[area])
        readers[name] = user
    pilots = [user for name, user in readers.items() if READERS[name][3] == "pilot"]
    action = ActionFactory(
        department=here, pilots=pilots, operators=[organizations["operator"]], name="Action X"
    )
    commune = CommuneFactory(department=here)
    sites = [SitePageFactory(commune=commune), SitePageFactory(commune=commune)]
    action.sites.set(sites)
    author = readers["author"]
    entries = {
        "public": services.post_entry(
            target=action, author=author, text=MARKERS["public"], audience=Audience.SITE_READERS
        ),
        "state": services.post_entry(
            target=action,
            author=author,
            text=MARKERS["state"],
            audience=Audience.STATE_SERVICES,
            uploads=[SimpleUploadedFile("compte-rendu.pdf", PDF_BYTES)],
        ),
        "chosen": services.post_entry(
            target=action,
            author=author,
            text=MARKERS["chosen"],
            audience=Audience.CHOSEN,
            users=[readers["chosen correspondant"]],
        ),
        "hidden": services.post_entry(
            target=action, author=author, text=MARKERS["hidden"], audience=Audience.SITE_READERS
        ),
    }
    services.hide_entry(
        entry=entries["hidden"], by=readers["local admin here"], reason="Hors charte"
    )
    return SimpleNamespace(
        action=action, sites=sites, readers=readers, entries=entries, places=places
    )


def test_an_entry_has_exactly_one_target(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            site=world.sites[0], action=world.action, author=world.readers["author"], text="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(author=world.readers["author"], text="x")


@pytest.mark.parametrize("name", READERS)
def test_rules_agree_and_search_never_leaks(world, name):
    user = fresh(world.readers[name])
    expected = EXPECTED[name]
    python = {key for key, entry in world.entries.items() if perms.can_read_entry(user, entry)}
    assert python == expected
    by_pk = {entry.pk: key for key, entry in world.entries.items()}
    sql = {by_pk[pk] for pk in Entry.objects.visible_to(user).values_list("pk", flat=True)}
    assert sql == expected
    assert perms.can_read_journal(user, world.action) == (name in OPENS)
    # The search: what the reader's keys open is among what they may read (the action's
    # private messages are found by their author and the moderators only).
    reader_keys = search_access.reader_keys(user)
    found = {
        key
        for key, entry in world.entries.items()
        if reader_keys & set(search_access.journal_entry_keys(Entry.objects.get(pk=entry.pk)))
    }
    assert found <= expected
    if "public" in expected:
        assert "public" in found


@pytest.mark.parametrize("name", READERS)
def test_pages_follow_the_rule(client, world, name):
    """The action page, the action's stream, each message's page and the attachment."""
    user = world.readers[name]
    client.force_login(user)
    expected = EXPECTED[name]
    stream = client.get(reverse("journal:action", args=[world.action.pk]))
    if name not in OPENS:
        assert stream.status_code in (302, 404)
        assert client.get(world.action.get_absolute_url()).status_code in (302, 404)
    else:
        assert stream.status_code == 200
        html = stream.content.decode()
        assert {key for key, marker in MARKERS.items() if marker in html} == expected
        page = client.get(world.action.get_absolute_url()).content.decode()
        assert 'id="journal"' in page
        assert {key for key, marker in MARKERS.items() if marker in page} == expected
    for key, entry in world.entries.items():
        response = client.get(reverse("journal:entry", args=[entry.pk]))
        assert response.status_code == (200 if key in expected else 404), key
    attachment = world.entries["state"].attachments.get()
    response = client.get(reverse("journal:attachment", args=[attachment.pk]))
    assert response.status_code == (200 if "state" in expected else 404)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()


def test_the_action_editors_post_and_the_others_may_not(client, world):
    pilot = world.readers["pilot elsewhere"]
    client.force_login(pilot)
    url = reverse("journal:post_action", args=[world.action.pk])
    response = client.post(
        url, {"text": "Réunion des partenaires jeudi.", "audience": "site_readers"}
    )
    assert response.status_code == 302
    entry = Entry.objects.get(text="Réunion des partenaires jeudi.")
    assert entry.action == world.action and entry.site is None
    page = client.get(world.action.get_absolute_url()).content.decode()
    assert "Réunion des partenaires jeudi." in page
    assert f'action="{url}' in page  # the form to post is on the action page
    # A reader who may not edit the action (a préfecture of the department reads but does not
    # edit here... checked through the rule) gets no form and a 404 on posting.
    reader = world.readers["observateur elsewhere"]
    client.force_login(reader)
    assert client.post(url, {"text": "Intrus", "audience": "site_readers"}).status_code == 404
    assert not Entry.objects.filter(text="Intrus").exists()


def test_private_audiences_need_the_private_right(world):
    pilot = fresh(world.readers["pilot elsewhere"])
    assert perms.can_post(pilot, world.action)
    author = fresh(world.readers["author"])
    assert Audience.CHOSEN in perms.allowed_audiences(author, world.action)


def test_the_moderation_queue_lists_the_action_entries_of_its_department(client, world):
    entry = world.entries["public"]
    ReportFactory(entry=entry, reporter=world.readers["pilot elsewhere"])
    client.force_login(world.readers["local admin here"])
    html = client.get(reverse("journal:moderation")).content.decode()
    assert f'id="queue-message-{entry.pk}"' in html
    assert "Action X" in html
    department = world.action.department_id
    filtered = client.get(reverse("journal:moderation"), {"departement": department})
    assert f'id="queue-message-{entry.pk}"' in filtered.content.decode()
    client.force_login(world.readers["local admin elsewhere"])
    response = client.get(reverse("journal:moderation"))
    assert f'id="queue-message-{entry.pk}"' not in response.content.decode()


def test_notifications_go_to_the_action_readers(world):
    recipients = set(recipients_for_entry(world.entries["public"]))
    readers = world.readers
    assert readers["pilot elsewhere"] in recipients
    assert readers["operator member elsewhere"] in recipients
    assert readers["local admin here"] in recipients
    assert readers["préfecture here"] in recipients
    assert readers["author"] not in recipients
    for name in ("local admin elsewhere", "observateur elsewhere", "inactive local admin here"):
        assert readers[name] not in recipients
    state = set(recipients_for_entry(world.entries["state"]))
    assert readers["préfecture here"] in state
    assert readers["pilot elsewhere"] not in state


def test_the_new_entry_notification_is_sent_per_preferences(
    world, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    from journal import notifications

    count = notifications.notify_new_entry(world.entries["public"])
    assert count > 0
    told = set(
        Notification.objects.filter(verb__contains="Action X").values_list(
            "recipient_id", flat=True
        )
    )
    assert world.readers["pilot elsewhere"].pk in told
    assert world.readers["local admin elsewhere"].pk not in told


def test_the_journal_export_includes_the_action_entries_for_its_readers(client, world):
    client.force_login(world.readers["local admin here"])
    response = client.post(reverse("journal:export"), {"file_format": "csv"})
    content = response.content.decode("utf-8-sig")
    assert MARKERS["public"] in content and MARKERS["state"] in content
    assert MARKERS["hidden"] not in content  # published messages only
    assert "Action X" in content
    one = client.post(
        reverse("journal:export") + f"?action={world.action.pk}", {"file_format": "csv"}
    )
    assert MARKERS["public"] in one.content.decode("utf-8-sig")
    client.force_login(world.readers["local admin elsewhere"])
    assert client.get(reverse("journal:export") + f"?action={world.action.pk}").status_code == 404
    response = client.post(reverse("journal:export"), {"file_format": "csv"})
    assert MARKERS["public"] not in response.content.decode("utf-8-sig")


def test_both_site_pages_show_the_action_latest_messages(client, world):
    client.force_login(world.readers["préfecture here"])
    for site in world.sites:
        html = client.get(site.url).content.decode()
        assert MARKERS["public"] in html and MARKERS["state"] in html
        assert MARKERS["chosen"] not in html
        assert reverse("journal:action", args=[world.action.pk]) in html
    client.force_login(world.readers["local admin elsewhere"])
    for site in world.sites:
        response = client.get(site.url)
        assert MARKERS["public"] not in response.content.decode()


def test_the_site_pages_preview_reads_as_text_not_markdown(client, world):
    author = world.readers["author"]
    services.post_entry(
        target=world.action,
        author=author,
        text="Réunion **jeudi** à la [mairie](https://mairie.example) & Cie",
        audience=Audience.SITE_READERS,
    )
    client.force_login(world.readers["préfecture here"])
    html = client.get(world.sites[0].url).content.decode()
    block = html[html.index('id="actions"') :]
    block = block[: block.index("</section>")]
    assert "Réunion jeudi à la mairie &amp; Cie" in block
    assert "**jeudi**" not in block and "](https://" not in block


def _count_action_page(client, action):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def test_the_action_page_costs_the_same_with_2_and_20_messages(client, world):
    author = world.readers["author"]
    client.force_login(world.readers["local admin here"])
    few = ActionFactory(department=world.action.department, pilots=[author])
    many = ActionFactory(department=world.action.department, pilots=[author])
    for action, count in ((few, 2), (many, 20)):
        for number in range(count):
            services.post_entry(
                target=action,
                author=author,
                text=f"Message {number}",
                audience=Audience.SITE_READERS,
                uploads=[SimpleUploadedFile("cr.pdf", PDF_BYTES)] if number == 0 else [],
            )
    _count_action_page(client, few)  # warm the caches
    assert _count_action_page(client, few) == _count_action_page(client, many)


@pytest.mark.parametrize("name", ["préfecture here", "pilot elsewhere", "local admin elsewhere"])
def test_the_api_serves_an_action_attachment_to_its_readers_only(world, name):
    """The partner API's attachment endpoint answers by the same lookup; the API lists the
    sites' journals only, so an action's messages never appear in a site's."""
    from tests.api.support import api_client

    client = api_client(world.readers[name])
    for site in world.sites:
        body = str(client.get(f"/api/v1/sites/{site.pk}/journal/").json())
        assert not any(marker in body for marker in MARKERS.values())
    attachment = world.entries["state"].attachments.get()
    download = client.get(f"/api/v1/journal/pieces-jointes/{attachment.pk}/")
    assert download.status_code == (200 if "state" in EXPECTED[name] else 404)
    download.close()


@pytest.mark.parametrize("name", READERS)
def test_the_api_lists_an_action_journal_as_its_page_does(world, name):
    from tests.api.support import api_client

    user = world.readers[name]
    url = f"/api/v1/actions/{world.action.pk}/journal/"
    if name.startswith("inactive"):  # an inactive account's token opens nothing
        from api.models import ApiToken

        secret = ApiToken.objects.create(user=user, name="t")[1]
        assert api_client(secret=secret).get(url).status_code == 401
        return
    response = api_client(user).get(url)
    if name not in OPENS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = str(response.json())
    assert {key for key, marker in MARKERS.items() if marker in body} == EXPECTED[name]
    assert all(row["action"] == world.action.pk for row in response.json()["results"])


def test_the_api_posts_in_an_action_journal_with_the_journals_rules(world):
    from tests.api.support import api_client

    url = f"/api/v1/actions/{world.action.pk}/journal/"
    pilot = world.readers["pilot elsewhere"]
    response = api_client(pilot).post(url, {"text": "Point d’étape", "audience": "site_readers"})
    assert response.status_code == 201, response.json()
    entry = Entry.objects.get(pk=response.json()["id"])
    assert (entry.action, entry.site, entry.author) == (world.action, None, pilot)
    response = api_client(pilot).post(url, {"text": ""}, format="json")
    assert response.status_code == 400 and response.json()["text"] == ["Écrivez votre message."]
    # a reader who may not edit the action, and a stranger: 404, nothing written
    for name in ("préfecture elsewhere", "local admin elsewhere"):
        answer = api_client(world.readers[name]).post(url, {"text": "Intrus"}, format="json")
        assert answer.status_code == 404
    assert not Entry.objects.filter(text="Intrus").exists()
    assert api_client(pilot).get("/api/v1/actions/999999/journal/").status_code == 404


@pytest.mark.parametrize("name", READERS)
def test_the_search_page_finds_only_what_the_reader_may_read(client, world, name):
    """The search page (PostgreSQL backend, documents written by the signals): an action's
    message is found by who may read it and by nobody else; private ones by their author and
    the moderators only."""
    client.force_login(world.readers[name])
    found = set()
    for key, marker in MARKERS.items():
        response = client.get("/recherche/", {"q": marker})
        link = reverse("journal:entry", args=[world.entries[key].pk])
        if response.status_code == 200 and f'href="{link}"' in response.content.decode():
            found.add(key)
    assert found <= EXPECTED[name]
    if "public" in EXPECTED[name]:
        assert "public" in found
    if name in ("author", "local admin here", "national admin"):
        assert {"state", "chosen"} <= found
