"""Weekly anonymisation of the private owners of sites closed for over a year."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry

from sitepages.enums import ClosingCause, OwnerType
from sitepages.models import SiteOwner, SitePage
from tests.sitepages.edit_support import site_in

pytestmark = pytest.mark.django_db


def closed_site(days_ago, *owners):
    today = timezone.localdate()
    site = site_in(
        declared_at=today - datetime.timedelta(days=800),
        closed_at=today - datetime.timedelta(days=days_ago),
        closing_cause=ClosingCause.UNKNOWN,
    )
    for kind, name in owners:
        SiteOwner.objects.create(site=site, type=kind, name=name)
    site = SitePage.objects.get(pk=site.pk)
    site.save_revision().publish()  # a history holding the names
    return site


def names(site):
    return sorted(SiteOwner.objects.filter(site=site).values_list("type", "name"))


def test_private_owners_of_sites_closed_over_a_year_ago_lose_their_names(capsys):
    old = closed_site(400, (OwnerType.PRIVATE, "Famille Exemple"), (OwnerType.PUBLIC, "Commune"))
    recent = closed_site(100, (OwnerType.PRIVATE, "Société Récente"))
    open_site = site_in()
    SiteOwner.objects.create(site=open_site, type=OwnerType.PRIVATE, name="Ouvert Privé")
    revisions_before = old.revisions.count()

    call_command("anonymise_private_owners")

    assert "1 site" in capsys.readouterr().out
    assert names(old) == [(OwnerType.PRIVATE, ""), (OwnerType.PUBLIC, "Commune")]
    assert names(recent) == [(OwnerType.PRIVATE, "Société Récente")]
    assert names(open_site) == [(OwnerType.PRIVATE, "Ouvert Privé")]
    old = SitePage.objects.get(pk=old.pk)
    assert old.revisions.count() == revisions_before + 1
    assert old.live_revision_id == old.latest_revision_id
    assert all("Famille Exemple" not in str(revision.content) for revision in old.revisions.all())
    assert PageLogEntry.objects.filter(page=old, action="sitepages.owners_anonymised").exists()


def test_anonymisation_is_idempotent():
    site = closed_site(500, (OwnerType.PRIVATE, "Famille Exemple"))
    call_command("anonymise_private_owners")
    count = SitePage.objects.get(pk=site.pk).revisions.count()

    call_command("anonymise_private_owners")

    assert SitePage.objects.get(pk=site.pk).revisions.count() == count
    assert names(site) == [(OwnerType.PRIVATE, "")]


def test_a_form_shown_before_the_job_does_not_bring_the_name_back(client):
    """An administrator opens the correction form of a site closed for over a year, the job
    runs, the administrator saves: the job also emptied the revisions the conflict check
    compares, so the save saw no change and published the name shown by the form again."""
    from django.urls import reverse

    from directory.enums import Role
    from tests.sitepages.edit_support import page_payload, user_with

    site = closed_site(400, (OwnerType.PRIVATE, "Famille Exemple"))
    client.force_login(user_with(Role.LOCAL_ADMIN, site.commune.department))
    url = reverse("site_edit", args=[site.pk])
    shown = page_payload(client.get(url), people="42")
    assert "Famille Exemple" in shown.values()
    call_command("anonymise_private_owners")

    response = client.post(url, shown)

    assert response.status_code == 302
    assert names(site) == [(OwnerType.PRIVATE, "")]
    assert SitePage.objects.get(pk=site.pk).people == 42
    assert all("Famille Exemple" not in str(revision.content) for revision in site.revisions.all())
