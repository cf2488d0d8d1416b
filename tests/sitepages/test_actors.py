"""The actors of a site: join, change my themes, leave, add an actor, invite a partner; who is
told, what the emails say (and never say), and what the site page costs."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from notifications.models import Notification

from activity import preferences
from core.notifications import NotificationKind
from directory import invitations
from directory.enums import Role, Topic
from sitepages import actors
from sitepages.models import SiteActor
from tests.activity.helpers import run_tasks
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

SITE_NAME = "Campement-Marqueur-4K"


@pytest.fixture
def world():
    here = DepartmentFactory(name="Département des Essais")
    elsewhere = DepartmentFactory()
    site = SitePageFactory(commune=CommuneFactory(department=here), name=SITE_NAME)
    site.refresh_from_db()
    return {"here": here, "elsewhere": elsewhere, "site": site}


def member(territory, role=Role.INTERVENANT, **kwargs):
    user = UserFactory(role=role, **kwargs)
    give_area(user, territory)
    return user


def url(name, site):
    return reverse(name, args=[site.pk])


def themes_of(site, user):
    return SiteActor.objects.filter(site=site, user=user).values_list("themes", flat=True).first()


def kinds_of(user, kind):
    return list(
        Notification.objects.filter(recipient=user, data__kind=kind).values_list("verb", flat=True)
    )


def test_a_reader_joins_with_themes_changes_them_and_leaves(client, world):
    site, worker = world["site"], member(world["here"])
    client.force_login(worker)
    page = client.get(site.url).content.decode()
    assert url("site_actor_join", site) in page
    assert url("site_actor_leave", site) not in page

    assert client.get(url("site_actor_join", site)).status_code == 200
    response = client.post(url("site_actor_join", site), {"themes": [Topic.HEALTH]})
    assert response.status_code == 302
    assert themes_of(site, worker) == [Topic.HEALTH]
    page = client.get(site.url).content.decode()
    assert url("site_actor_leave", site) in page
    assert 'id="site-actor-join"' not in page

    # Joining again changes the themes of the one row (no duplicate)
    client.post(url("site_actor_join", site), {"themes": [Topic.SCHOOL, Topic.HOUSING]})
    assert SiteActor.objects.filter(site=site, user=worker).count() == 1
    assert themes_of(site, worker) == [Topic.SCHOOL, Topic.HOUSING]

    # Each change is a revision of the site, in its history, by its author
    site.refresh_from_db()
    revision = site.latest_revision
    assert revision.user == worker
    assert [row["user"] for row in revision.content["actors"]] == [worker.pk]
    history = client.get(reverse("site_history", args=[site.pk])).content.decode()
    row = re.search(r'<tr data-field="actors">.*?</tr>', history, re.S).group(0)
    assert "Acteurs du site" in row
    assert "Santé" in row and "Scolarisation, Logement" in row  # labels, not characters

    assert client.get(url("site_actor_leave", site)).status_code == 200  # the confirmation
    assert themes_of(site, worker) == [Topic.SCHOOL, Topic.HOUSING]
    assert client.post(url("site_actor_leave", site)).status_code == 302
    assert not SiteActor.objects.filter(site=site, user=worker).exists()


def test_joining_without_a_theme_is_refused_in_french(client, world):
    site, worker = world["site"], member(world["here"])
    client.force_login(worker)
    response = client.post(url("site_actor_join", site), {})
    assert response.status_code == 400
    assert "Choisissez au moins une thématique." in response.content.decode()
    response = client.post(url("site_actor_join", site), {"themes": ["astrology"]})
    assert response.status_code == 400
    assert not SiteActor.objects.filter(site=site).exists()


def test_the_service_refuses_no_theme_and_keeps_one_row_per_person(world):
    site, worker = world["site"], member(world["here"])
    with pytest.raises(actors.ActorError):
        actors.join(site=site, user=worker, themes=[])
    assert actors.join(site=site, user=worker, themes=[Topic.HEALTH]).new
    assert not actors.join(site=site, user=worker, themes=[Topic.HEALTH, Topic.HEALTH]).new
    assert SiteActor.objects.filter(site=site, user=worker).count() == 1


@pytest.mark.parametrize(
    "name", ["site_actor_join", "site_actor_leave", "site_actor_add", "site_actor_invite"]
)
def test_a_member_who_may_not_read_the_site_gets_a_404(client, world, name):
    client.force_login(member(world["elsewhere"], role=Role.OPERATEUR))
    assert client.get(url(name, world["site"])).status_code == 404
    assert client.post(url(name, world["site"]), {"themes": [Topic.HEALTH]}).status_code == 404


def test_a_reader_without_the_update_right_cannot_add_others(client, world):
    site, worker, other = world["site"], member(world["here"]), member(world["here"])
    client.force_login(worker)
    assert url("site_actor_add", site) not in client.get(site.url).content.decode()
    response = client.post(
        url("site_actor_add", site), {"user": other.email, "themes": [Topic.HEALTH]}
    )
    assert response.status_code == 403
    assert not SiteActor.objects.filter(site=site).exists()


def test_an_editor_adds_a_reader_and_not_someone_who_may_not_read_the_site(client, world):
    site = world["site"]
    editor = member(world["here"], role=Role.OPERATEUR)
    stranger = member(world["elsewhere"])
    partner = member(world["here"], first_name="Inès", last_name="Partenaire")
    client.force_login(editor)
    assert url("site_actor_add", site) in client.get(site.url).content.decode()

    response = client.post(
        url("site_actor_add", site), {"user": stranger.email, "themes": [Topic.HEALTH]}
    )
    assert response.status_code == 400
    assert "ne peut pas consulter ce site" in response.content.decode()
    assert not SiteActor.objects.filter(site=site).exists()

    response = client.post(
        url("site_actor_add", site), {"user": partner.email, "themes": [Topic.MEDIATION]}
    )
    assert response.status_code == 302
    assert themes_of(site, partner) == [Topic.MEDIATION]
    # The person added is told who added them
    assert len(kinds_of(partner, NotificationKind.SITE_ACTOR_JOINED)) == 1


def test_the_other_actors_are_told_of_a_new_actor_by_email_as_they_chose(
    client, world, django_capture_on_commit_callbacks
):
    site = world["site"]
    first = member(world["here"])
    quiet = member(world["here"])
    moved = member(world["elsewhere"])  # an actor who may no longer read the site
    for actor in (first, quiet, moved):
        SiteActor.objects.create(site=site, user=actor, themes=[Topic.HEALTH])
    preferences.set_preference(quiet, NotificationKind.SITE_ACTOR_JOINED, False)
    newcomer = member(world["here"], first_name="Camille", last_name="Martin")
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("site_actor_join", site), {"themes": [Topic.HEALTH]})
    run_tasks()

    expected = f"Camille Martin est désormais acteur du site « {site.title} »"
    assert kinds_of(first, NotificationKind.SITE_ACTOR_JOINED) == [expected]
    assert kinds_of(quiet, NotificationKind.SITE_ACTOR_JOINED) == [expected]
    assert kinds_of(moved, NotificationKind.SITE_ACTOR_JOINED) == []
    assert kinds_of(newcomer, NotificationKind.SITE_ACTOR_JOINED) == []
    told = [message for message in mail.outbox if expected in message.subject]
    assert [message.to for message in told] == [[first.email]]
    assert "List-Unsubscribe" in told[0].extra_headers


# --- Invitations --------------------------------------------------------------------------------


def invite(client, site, email, message="Venez nous aider"):
    return client.post(url("site_actor_invite", site), {"email": email, "message": message})


def test_an_actor_invites_a_member_who_may_read_the_site(
    client, world, django_capture_on_commit_callbacks
):
    site = world["site"]
    inviter = member(world["here"], first_name="Léa", last_name="Invitante")
    SiteActor.objects.create(site=site, user=inviter, themes=[Topic.HEALTH])
    reader, quiet = member(world["here"]), member(world["here"])
    preferences.set_preference(quiet, NotificationKind.SITE_ACTOR_INVITATION, False)
    client.force_login(inviter)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, site, reader.email.upper()).status_code == 302
        assert invite(client, site, quiet.email).status_code == 302
    run_tasks()

    verb = f"Léa Invitante vous invite à devenir acteur du site « {site.title} »"
    assert kinds_of(reader, NotificationKind.SITE_ACTOR_INVITATION) == [verb]
    assert kinds_of(quiet, NotificationKind.SITE_ACTOR_INVITATION) == [verb]
    sent = [message for message in mail.outbox if verb in message.subject]
    assert [message.to for message in sent] == [[reader.email]]
    assert "Venez nous aider" in sent[0].body
    assert site.url in sent[0].body


def test_an_unknown_address_gets_an_invitation_to_request_access_prefilled(
    client, world, django_capture_on_commit_callbacks
):
    site = world["site"]
    inviter = member(world["here"], role=Role.OPERATEUR)  # an editor, not an actor
    client.force_login(inviter)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, site, "Nouvelle.Partenaire@exemple.test")
    assert response.status_code == 302
    run_tasks()

    [email] = [
        message for message in mail.outbox if message.to == ["nouvelle.partenaire@exemple.test"]
    ]
    assert SITE_NAME not in email.subject + email.body  # the site is not named
    assert site.address not in email.body
    assert "Venez nous aider" in email.body
    assert email.extra_headers["Reply-To"] == inviter.email
    link = re.search(r"https?://\S+/demande-acces/\?invitation=\S+", email.body).group(0)

    client.logout()
    split = urlsplit(link)
    form = client.get(f"{split.path}?{split.query}")
    html = form.content.decode()
    assert form.status_code == 200
    assert 'value="nouvelle.partenaire@exemple.test"' in html
    assert f"department:{world['here'].pk}" in html
    assert 'id="access-invitation-notice"' in html

    # A changed token fills in nothing
    forged = client.get(f"{split.path}?{split.query[:-3]}xyz").content.decode()
    assert "nouvelle.partenaire@exemple.test" not in forged


def test_a_member_who_may_not_read_the_site_learns_nothing_of_it(
    client, world, django_capture_on_commit_callbacks
):
    site = world["site"]
    inviter = member(world["here"])
    SiteActor.objects.create(site=site, user=inviter, themes=[Topic.HEALTH])
    outsider = member(world["elsewhere"])
    client.force_login(inviter)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, site, outsider.email)
    assert response.status_code == 302
    run_tasks()
    assert not Notification.objects.filter(recipient=outsider).exists()
    [email] = [message for message in mail.outbox if message.to == [outsider.email]]
    assert SITE_NAME not in email.subject + email.body
    assert site.url not in email.body
    # The inviter reads the same answer as for any other address
    follow = client.get(site.url)
    assert follow.status_code == 200


def test_invitations_are_validated_and_limited(client, world):
    site = world["site"]
    inviter = member(world["here"])
    SiteActor.objects.create(site=site, user=inviter, themes=[Topic.HEALTH])
    client.force_login(inviter)
    response = invite(client, site, "pas-une-adresse")
    assert response.status_code == 400
    assert "adresse électronique valide" in response.content.decode()
    for _ in range(actors.INVITATIONS_PER_ADDRESS):
        assert invite(client, site, "meme@exemple.test").status_code == 302
    assert invite(client, site, "meme@exemple.test").status_code == 429


def test_a_reader_who_is_no_actor_nor_editor_cannot_invite(client, world):
    client.force_login(member(world["here"]))
    assert invite(client, world["site"], "x@exemple.test").status_code == 403


def test_an_invitation_token_cannot_be_changed():
    token = invitations.token_for(email="a@exemple.test")
    assert invitations.read_token(token).email == "a@exemple.test"
    assert invitations.read_token(token[:-2] + "xx") is None
    assert invitations.read_token("") is None


# --- The site page ------------------------------------------------------------------------------


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_actor_buttons_cost_no_query_per_actor(client, world):
    editor = member(world["here"], role=Role.OPERATEUR)
    small = SitePageFactory(commune=CommuneFactory(department=world["here"]))
    big = SitePageFactory(commune=CommuneFactory(department=world["here"]))
    for site, size in ((small, 1), (big, 10)):
        SiteActor.objects.create(site=site, user=editor, themes=[Topic.HEALTH])
        for _ in range(size - 1):
            SiteActor.objects.create(site=site, user=member(world["here"]), themes=[Topic.OTHER])
    client.force_login(editor)
    count_queries(client, small.url)  # warm the per-process caches
    assert count_queries(client, small.url) == count_queries(client, big.url)
    page = client.get(big.url).content.decode()
    for name in ("site_actor_join", "site_actor_leave", "site_actor_add", "site_actor_invite"):
        assert url(name, big) in page
