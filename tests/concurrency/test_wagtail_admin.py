"""The Wagtail admin's page editor (issue 15, part 2).

Site pages are written only through `sitepages.services.change_site`, under `lock_site`: the
national editors, who edit the editorial pages in the admin, may neither save nor publish a site
page there (no path around the lock; superusers keep that access, docs/concurrency.md).

Editorial pages are Wagtail's own: two editors publishing one page at once each publish their
revision, one after the other; the page shows the last one, the history keeps both (Wagtail
compares and restores them), and neither editor gets a 500."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry, Revision
from wagtail.test.utils.form_data import nested_form_data, rich_text

from cms.models import ContentPage, HomePage
from directory.enums import Role
from sitepages.models import SitePage
from tests.concurrency.harness import Rendezvous, logged_in, race
from tests.directory.factories import UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 3


def national_editor():
    editor = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(editor, None)  # joins the editors' group (directory.services.wagtail_access)
    editor.refresh_from_db()
    return editor


def denied(response) -> bool:
    """Wagtail answers a refusal with a 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def publish(client, url, title, slug):
    data = {
        "title": title,
        "slug": slug,
        "intro": "",
        "body": rich_text(f"<p>{title}</p>"),
        "action-publish": "action-publish",
    }
    return lambda: client.post(url, nested_form_data(data))


def test_editors_cannot_save_or_publish_a_site_page_in_the_admin():
    site = SitePageFactory(title="Site des Vignes")
    revisions = Revision.objects.filter(object_id=str(site.pk)).count()
    client = logged_in(national_editor())
    edit = reverse("wagtailadmin_pages:edit", args=[site.pk])
    for action in ("action-publish", None):
        data = {"title": "Renommé dans l’admin", "slug": site.slug}
        if action:
            data[action] = action
        assert denied(client.post(edit, data)), action
    for name in ("unpublish", "delete"):
        url = reverse(f"wagtailadmin_pages:{name}", args=[site.pk])
        assert denied(client.post(url)), name
    site = SitePage.objects.get(pk=site.pk)
    assert site.title == "Site des Vignes" and site.live
    assert Revision.objects.filter(object_id=str(site.pk)).count() == revisions


def test_two_editors_publishing_one_editorial_page_at_once(monkeypatch):
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, ContentPage, "save_revision")
    editors = [logged_in(national_editor()) for _ in range(2)]
    home = HomePage.objects.get()
    for repetition in range(REPETITIONS):
        page = ContentPage(
            title=f"Mentions légales {repetition}", slug=f"mentions-{repetition}", body="<p>x</p>"
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        publications = PageLogEntry.objects.filter(page=page, action="wagtail.publish")
        published_before = publications.count()
        titles = [f"Version {n} ({repetition})" for n in (1, 2)]

        outcomes = race(
            *(
                publish(client, url, title, page.slug)
                for client, title in zip(editors, titles, strict=True)
            ),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        published = ContentPage.objects.get(pk=page.pk)
        assert published.live and published.title in titles
        kept = {
            revision.content["title"]
            for revision in Revision.objects.filter(object_id=str(page.pk))
        }
        assert set(titles) <= kept, kept
        assert publications.count() == published_before + 2, repetition
