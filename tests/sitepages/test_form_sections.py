"""The site form in sections (issue 21, part 3): a side menu to the sections, one save per
section or one for all; a section saved alone validates and saves only its answers, leaves the
others untouched in the revision, and conflicts only with changes made meanwhile to that
section; a failed section loses nothing typed elsewhere."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.enums import Role
from sitepages.field_groups import SITE_FIELDS
from sitepages.forms.site import SECTION_FIELDS
from sitepages.models import SitePage
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import page_payload, site_in, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(client):
    here = DepartmentFactory()
    site = site_in(here, name="Les Saules", people=10, households=3, address="1 rue Haute")
    editor = user_with(Role.LOCAL_ADMIN, here)
    client.force_login(editor)
    return site, editor, reverse("site_edit", args=[site.pk])


def content(site) -> dict:
    revision = SitePage.objects.get(pk=site.pk).get_latest_revision()
    return {name: revision.content.get(name) for name in SITE_FIELDS}


def someone_else_saves(client, site, url, **changes):
    """The form the editor opened (returned), then another editor's save of `changes`."""
    stale = client.get(url)
    client.force_login(user_with(Role.LOCAL_ADMIN, site.commune.department))
    assert client.post(url, page_payload(client.get(url), **changes)).status_code == 302
    return stale


def test_the_edit_form_has_a_side_menu_and_a_save_per_section(client, setting):
    site, _editor, url = setting
    response = client.get(url)
    html = response.content.decode()
    sections = response.context["form"].sections()
    assert 'class="fr-sidemenu' in html
    for section in sections:
        assert f'href="#section-{section["id"]}"' in html
        assert f'value="{section["id"]}"' in html
    assert html.count('name="section"') == len(sections)
    assert html.count("Enregistrer cette section") == len(sections)
    assert 'id="site-form-submit"' in html and "Enregistrer toutes les sections" in html
    # a declaration is saved whole
    creation = client.get(reverse("site_create")).content.decode()
    assert 'name="section"' not in creation and 'class="fr-sidemenu' in creation


def test_a_section_saved_alone_saves_only_its_answers(client, setting):
    site, _editor, url = setting
    assert client.post(url, page_payload(client.get(url))).status_code == 302  # a first revision
    before = content(site)
    payload = page_payload(client.get(url), name="Les Aulnes", people="99", section="identity")
    response = client.post(url, payload)
    assert response.status_code == 302
    assert response["Location"] == url + "#section-identity"
    saved = SitePage.objects.get(pk=site.pk)
    assert saved.name == "Les Aulnes" and saved.people == 10  # the population was not saved
    after = content(site)
    changed = {name for name in SITE_FIELDS if before[name] != after[name]}
    assert changed == {"name"}
    assert after["updated_at"] == timezone.localdate().isoformat()
    page = client.get(url).content.decode()
    assert "La section « Identification et localisation » a été enregistrée." in page


def test_the_dwellings_saved_alone_date_the_population(client, setting):
    site, _editor, url = setting
    long_ago = timezone.localdate() - datetime.timedelta(days=90)
    SitePage.objects.filter(pk=site.pk).update(population_updated_at=None, updated_at=long_ago)
    client.post(url, page_payload(client.get(url), caravans="4", section="housing"))
    saved = SitePage.objects.get(pk=site.pk)
    assert saved.caravans == 4 and saved.population_updated_at == timezone.localdate()
    assert saved.updated_at == timezone.localdate()  # a section saved is an update


def test_a_change_made_meanwhile_elsewhere_is_kept_and_is_no_conflict(client, setting):
    site, editor, url = setting
    stale = someone_else_saves(client, site, url, people="25")
    client.force_login(editor)
    response = client.post(url, page_payload(stale, address="2 rue Basse", section="identity"))
    assert response.status_code == 302
    saved = SitePage.objects.get(pk=site.pk)
    assert (saved.address, saved.people) == ("2 rue Basse", 25)


def test_a_change_made_meanwhile_in_the_same_section_is_a_conflict(client, setting):
    site, editor, url = setting
    stale = someone_else_saves(client, site, url, people="25")
    client.force_login(editor)
    response = client.post(url, page_payload(stale, people="30", section="population"))
    assert response.status_code == 409
    assert {change.name for change in response.context["conflict"].changes} >= {"people"}
    assert SitePage.objects.get(pk=site.pk).people == 25


def test_a_failed_section_shows_its_errors_and_loses_nothing_typed_elsewhere(client, setting):
    site, _editor, url = setting
    payload = page_payload(
        client.get(url), name="Nom tapé", people="2", households="5", section="population"
    )
    response = client.post(url, payload)
    assert response.status_code == 400
    form = response.context["form"]
    assert form["name"].value() == "Nom tapé"  # another section's input is kept
    assert form["households"].errors == ["Il ne peut pas y avoir plus de ménages que de personnes."]
    assert list(form.errors) == ["households"]
    html = response.content.decode()
    assert 'id="section-identity"' in html and 'value="Nom tapé"' in html
    saved = SitePage.objects.get(pk=site.pk)
    assert (saved.name, saved.people) == ("Les Saules", 10)


def test_an_unknown_section_saves_the_whole_form(client, setting):
    site, _editor, url = setting
    payload = page_payload(client.get(url), name="Tout", people="12", section="nulle-part")
    assert client.post(url, payload).status_code == 302
    saved = SitePage.objects.get(pk=site.pk)
    assert (saved.name, saved.people) == ("Tout", 12)


def test_a_hidden_section_cannot_be_saved_alone(client):
    here = DepartmentFactory()
    site = site_in(here, people=10, justice_procedure=True)
    client.force_login(user_with(Role.OPERATEUR, here))  # updates sites, no justice
    url = reverse("site_edit", args=[site.pk])
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert 'value="justice"' not in form_page.content.decode()
    payload = page_payload(form_page, section="justice", justice_procedure="False", people="11")
    assert client.post(url, payload).status_code == 302
    saved = SitePage.objects.get(pk=site.pk)
    assert saved.justice_procedure is True and saved.people == 11


def test_every_form_field_belongs_to_one_section():
    names = [name for fields in SECTION_FIELDS.values() for name in fields]
    assert len(names) == len(set(names))
