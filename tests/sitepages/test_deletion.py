"""Deleting a site created by mistake (issue 21, part 8): `site.delete` holders only, open sites
only, a confirmation naming the site, a reason required, audit log, search document removed,
actors and followers notified."""

import datetime

import pytest
from django.utils import timezone
from notifications.models import Notification
from wagtail.models import PageLogEntry

from directory.enums import Role
from search.models import SearchDocument
from sitepages.models import SiteActor, SiteFollow, SitePage
from tests.directory.factories import CommuneFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return CommuneFactory()


def member(role, area=None):
    user = UserFactory(role=role)
    give_area(user, area)
    return user


def test_a_local_admin_deletes_a_site_created_by_mistake(client, commune):
    admin = member(Role.LOCAL_ADMIN, commune.department)
    actor = member(Role.INTERVENANT, commune.department)
    follower = member(Role.INTERVENANT, commune.department)
    site = SitePageFactory(commune=commune, name="Doublon du Moulin")
    SiteActor.objects.create(site=site, user=actor, themes=[])
    SiteFollow.objects.create(site=site, user=follower)
    SiteFollow.objects.create(site=site, user=admin)
    pk, title = site.pk, site.title
    assert SearchDocument.objects.alive().filter(ref=f"site:{pk}").exists()
    client.force_login(admin)

    page = client.get(site.url).content.decode()
    assert "Supprimer (créé par erreur)" in page and f"/sites/{pk}/supprimer/" in page
    page = client.get(f"/sites/{pk}/supprimer/").content.decode()
    assert "Doublon du Moulin" in page and "Motif de la suppression" in page

    response = client.post(f"/sites/{pk}/supprimer/", {"reason": "   "})
    assert response.status_code == 200
    assert "Indiquez pourquoi ce site est supprimé." in response.content.decode()
    assert SitePage.objects.filter(pk=pk).exists()

    response = client.post(
        f"/sites/{pk}/supprimer/", {"reason": "Doublon de la rue des Lilas."}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/sites/"
    page = response.content.decode()
    assert f"Le site « {title} » a été supprimé." in page
    assert not SitePage.objects.filter(pk=pk).exists()
    assert not SearchDocument.objects.alive().filter(ref=f"site:{pk}").exists()

    entry = PageLogEntry.objects.get(page_id=pk, action="sitepages.site_deleted")
    assert entry.user == admin
    assert entry.data["reason"] == "Doublon de la rue des Lilas."
    assert entry.data["title"] == title

    notified = set(Notification.objects.values_list("recipient_id", flat=True))
    assert notified == {actor.pk, follower.pk}  # never the one who deleted it
    verb = Notification.objects.filter(recipient=actor).get().verb
    assert "Doublon du Moulin" in verb and "Doublon de la rue des Lilas." in verb


def test_a_closed_site_is_never_deleted(client, commune):
    admin = member(Role.LOCAL_ADMIN, commune.department)
    site = SitePageFactory(
        commune=commune,
        declared_at=timezone.localdate() - datetime.timedelta(days=90),
        closed_at=timezone.localdate(),
        closed_with_solutions=True,
    )
    client.force_login(admin)
    assert "/supprimer/" not in client.get(site.url).content.decode()
    assert client.get(f"/sites/{site.pk}/supprimer/").status_code == 403
    assert client.post(f"/sites/{site.pk}/supprimer/", {"reason": "x"}).status_code == 403
    assert SitePage.objects.filter(pk=site.pk).exists()


@pytest.mark.parametrize(
    ("role", "here", "status"),
    [
        (Role.NATIONAL_ADMIN, False, 200),
        (Role.LOCAL_ADMIN, True, 200),
        (Role.LOCAL_ADMIN, False, 404),  # another department: the site is not revealed
        (Role.CORRESPONDANT, True, 403),
        (Role.PARTENAIRE_INSTITUTIONNEL, True, 403),
        (Role.INTERVENANT, True, 403),
        (Role.OBSERVATEUR_EXTERNE, True, 403),
    ],
)
def test_who_may_delete(client, commune, role, here, status):
    site = SitePageFactory(commune=commune)
    if role == Role.NATIONAL_ADMIN:
        user = member(role)
    else:
        user = member(role, commune.department if here else CommuneFactory().department)
    client.force_login(user)
    assert client.get(f"/sites/{site.pk}/supprimer/").status_code == status
    assert client.post(f"/sites/{site.pk}/supprimer/", {"reason": "x"}).status_code == (
        302 if status == 200 else status
    )
    assert SitePage.objects.filter(pk=site.pk).exists() == (status != 200)


def test_a_write_to_a_site_deleted_meanwhile_answers_not_found(commune):
    """A writer who read the site before someone deleted it gets a 404, not a 500."""
    from django.http import Http404

    from sitepages import deletion, services

    admin = member(Role.LOCAL_ADMIN, commune.department)
    site = SitePageFactory(commune=commune, name="Doublon du Moulin")
    stale = SitePage.objects.get(pk=site.pk)
    deletion.delete_site(site=site, user=admin, reason="Doublon.")
    with pytest.raises(Http404):
        services.record_visit(site=stale, user=admin)
    with pytest.raises(Http404):
        deletion.delete_site(site=stale, user=admin, reason="Encore.")
