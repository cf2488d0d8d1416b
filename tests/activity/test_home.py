"""« Mon accueil » after login (issue 21, part 1): followed sites and sites where I am an actor,
what changed since my last visit, stale, new and targeted sites of my territory, pending tasks;
every block empty-stated; the same number of queries with 10 or 500 sites."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activity.home import SESSION_KEY
from activity.models import HomeVisit, SiteEvent
from directory.enums import Role
from journal.enums import Audience
from sitepages.models import SiteActor, SiteFollow
from tests.directory.factories import CommuneFactory, UserFactory, give_area
from tests.journal.factories import EntryFactory
from tests.sitepages.factories import SitePageFactory
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db

HOME = "/tableau-de-bord/"


@pytest.fixture
def commune():
    return CommuneFactory()


def member(role, area):
    user = UserFactory(role=role)
    give_area(user, area)
    return user


def home(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def new_visit(client):
    """Log in again: a new session, so « since my last visit » moves on."""
    session = client.session
    session.pop(SESSION_KEY, None)
    session.save()


def test_empty_home_says_what_to_do(client, commune):
    client.force_login(member(Role.INTERVENANT, commune.department))
    page = home(client)
    assert "Mes sites" in page
    assert "Vous ne suivez encore aucun site et n’êtes acteur d’aucun." in page
    assert "Aucun site n’a été déclaré ces 30 derniers jours." in page
    assert "Aucun site ouvert n’a d’objectif de résorption cette année." in page
    # A field worker may not update sites: no « sites I may update » block.
    assert "non mis à jour depuis 6 mois" not in page


def test_following_a_site_puts_it_on_the_home(client, commune):
    user = member(Role.INTERVENANT, commune.department)
    site = SitePageFactory(
        commune=commune,
        name="Terrain des Peupliers",
        declared_at=timezone.localdate() - datetime.timedelta(days=60),
    )
    client.force_login(user)

    page = client.get(site.url).content.decode()
    assert "Suivre ce site" in page
    response = client.post(f"/sites/{site.pk}/suivre/", {"action": "follow"}, follow=True)
    assert "Vous suivez ce site" in response.content.decode()
    assert "Ne plus suivre ce site" in response.content.decode()
    assert SiteFollow.objects.filter(user=user, site=site).count() == 1
    client.post(f"/sites/{site.pk}/suivre/", {"action": "follow"})  # twice: still one row
    assert SiteFollow.objects.filter(user=user, site=site).count() == 1

    page = home(client)
    assert "Terrain des Peupliers" in page and site.url in page
    assert "1 site que vous suivez ou dont vous êtes acteur." in page

    response = client.post(f"/sites/{site.pk}/suivre/", {"action": "unfollow"}, follow=True)
    assert "Vous ne suivez plus ce site." in response.content.decode()
    assert not SiteFollow.objects.filter(user=user).exists()
    assert "Terrain des Peupliers" not in home(client)


def test_a_site_one_may_not_read_cannot_be_followed(client, commune):
    elsewhere = SitePageFactory()
    client.force_login(member(Role.INTERVENANT, commune.department))
    assert client.post(f"/sites/{elsewhere.pk}/suivre/").status_code == 404
    assert client.get(f"/sites/{elsewhere.pk}/suivre/").status_code in (404, 405)
    assert not SiteFollow.objects.exists()


def test_a_followed_site_out_of_reach_leaves_the_home(client, commune):
    user = member(Role.INTERVENANT, commune.department)
    elsewhere = SitePageFactory(name="Site lointain")
    SiteFollow.objects.create(user=user, site=elsewhere)  # followed when the user could read it
    client.force_login(user)
    assert "Site lointain" not in home(client)


def test_sites_where_i_am_an_actor_are_mine(client, commune):
    user = member(Role.INTERVENANT, commune.department)
    site = SitePageFactory(commune=commune, name="Les Acacias")
    SiteActor.objects.create(site=site, user=user, themes=["health"])
    client.force_login(user)
    page = home(client)
    assert "Les Acacias" in page
    assert "Acteur" in page


def test_changes_since_my_last_visit(client, commune):
    user = member(Role.INTERVENANT, commune.department)
    other = member(Role.INTERVENANT, commune.department)
    site = SitePageFactory(commune=commune, name="La Friche")
    SiteFollow.objects.create(user=user, site=site)
    client.force_login(user)

    # Before the first visit: the last week.
    SiteEvent.objects.create(
        kind="site_updated",
        site=site,
        actor=other,
        title=site.title,
        occurred_at=timezone.now() - datetime.timedelta(days=30),
    )
    page = home(client)
    assert "Rien n’a changé sur vos sites depuis votre dernière visite." in page
    assert HomeVisit.objects.get(user=user)

    # Changes after that visit show on the next one.
    SiteEvent.objects.create(
        kind="site_closed", site=site, actor=other, title=site.title, occurred_at=timezone.now()
    )
    EntryFactory(site=site, author=other, text="Distribution de **colis** demain.")
    EntryFactory(site=site, author=user, text="Mon propre message.")
    new_visit(client)
    page = home(client)
    assert "Rien n’a changé" not in page
    assert "Un site de mon territoire a été fermé — La Friche" in page
    assert "Nouveau message au journal de La Friche" in page
    assert page.count("Nouveau message au journal") == 1  # not my own message
    assert other.get_full_name() in page

    # And the visit after: nothing new.
    new_visit(client)
    assert "Rien n’a changé sur vos sites depuis votre dernière visite." in home(client)


def test_a_journal_message_i_may_not_read_is_not_a_change(client, commune):
    user = member(Role.INTERVENANT, commune.department)
    other = member(Role.INTERVENANT, commune.department)
    site = SitePageFactory(commune=commune)
    SiteFollow.objects.create(user=user, site=site)
    client.force_login(user)
    home(client)
    EntryFactory(site=site, author=other, audience=Audience.STATE_SERVICES, text="Privé.")
    new_visit(client)
    assert "Nouveau message au journal" not in home(client)


def test_territory_blocks(client, commune):
    today = timezone.localdate()
    admin = member(Role.LOCAL_ADMIN, commune.department)
    SitePageFactory(
        commune=commune, name="Vieux site", declared_at=today - datetime.timedelta(days=400)
    )
    SitePageFactory(commune=commune, name="Site récent", declared_at=today)
    SitePageFactory(
        commune=commune,
        name="Site à résorber",
        declared_at=today - datetime.timedelta(days=60),
        resorption_target_year=today.year,
    )
    SitePageFactory(name="Ailleurs récent", declared_at=today)  # another department
    client.force_login(admin)
    page = home(client)
    assert "1 site non mis à jour depuis 6 mois" in page and "Vieux site" in page
    assert "/sites/?non_actualise=on" in page
    assert "1 site déclaré ces 30 derniers jours" in page and "Site récent" in page
    assert f"1 site à résorber en {today.year}" in page and "Site à résorber" in page
    assert "Ailleurs récent" not in page


def test_pending_tasks_of_a_local_admin(client, commune):
    from directory.models import AccessRequest

    admin = member(Role.LOCAL_ADMIN, commune.department)
    client.force_login(admin)
    page = home(client)
    assert "Mes tâches en attente" in page
    assert "0 demande d’accès à décider" in page
    assert "0 message de journal signalé à modérer" in page
    assert AccessRequest.objects.count() == 0


def test_the_home_costs_the_same_with_10_or_500_sites(client, commune):
    admin = member(Role.LOCAL_ADMIN, commune.department)
    other = member(Role.INTERVENANT, commune.department)
    client.force_login(admin)

    def add(count):
        today = timezone.localdate()
        sites = bulk_sites(
            count,
            commune=commune,
            declared_at=lambda n: today - datetime.timedelta(days=[1, 400][n % 2]),
            resorption_target_year=today.year,
        )
        SiteFollow.objects.bulk_create(SiteFollow(user=admin, site=site) for site in sites[::2])
        SiteActor.objects.bulk_create(
            SiteActor(site=site, user=admin, themes=[], sort_order=0) for site in sites[1::2]
        )
        SiteEvent.objects.bulk_create(
            SiteEvent(
                kind="site_updated",
                site=site,
                actor=other,
                title=site.title,
                occurred_at=timezone.now(),
            )
            for site in sites
        )
        for site in sites[:3]:
            EntryFactory(site=site, author=other)

    def count():
        new_visit(client)
        HomeVisit.objects.filter(user=admin).update(
            seen_at=timezone.now() - datetime.timedelta(days=1)
        )
        client.get(HOME)  # warm the per-request caches
        new_visit(client)
        HomeVisit.objects.filter(user=admin).update(
            seen_at=timezone.now() - datetime.timedelta(days=1)
        )
        with CaptureQueriesContext(connection) as captured:
            page = home(client)
        assert "Nouveau message au journal" in page
        return len(captured)

    add(10)
    small = count()
    add(490)
    assert count() == small
