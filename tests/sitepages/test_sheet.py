"""The printable sheet of a site (HTML page and Word document): who may open it, what it shows
to whom (owners and justice absent without the right), its log entry and its query count."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from docx import Document
from wagtail.models import PageLogEntry

from directory.enums import Role, Topic
from sitepages import sheet
from sitepages.models import SiteActor
from tests.directory.factories import DepartmentFactory, UserFactory
from tests.sitepages.test_reader_pages import COURT_MARKER, OWNER_MARKER, make_site, reader

pytestmark = pytest.mark.django_db

# role, where the user's area is: sheet status, owners shown, justice shown (test_reader_pages)
READERS = {
    "local admin here": (Role.LOCAL_ADMIN, "here", 200, True, True),
    "local admin elsewhere": (Role.LOCAL_ADMIN, "elsewhere", 404, False, False),
    "partenaire here": (Role.PARTENAIRE_INSTITUTIONNEL, "here", 200, True, False),
    "operateur here": (Role.OPERATEUR, "here", 200, False, False),
    "operateur elsewhere": (Role.OPERATEUR, "elsewhere", 404, False, False),
    "observateur here": (Role.OBSERVATEUR_EXTERNE, "here", 200, False, False),
}


@pytest.fixture
def place():
    return {"here": DepartmentFactory(), "elsewhere": DepartmentFactory()}


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def urls(site) -> tuple[str, str]:
    return reverse("site_sheet", args=[site.pk]), reverse("site_sheet_docx", args=[site.pk])


@pytest.mark.parametrize("case", READERS)
def test_who_gets_what_on_the_sheet(client, place, case):
    role, area, status, sees_owners, sees_justice = READERS[case]
    site = make_site(place["here"], resorption_target_year=2031)
    client.force_login(reader(role, place[area]))
    html_url, docx_url = urls(site)

    response = client.get(html_url)
    assert response.status_code == status
    html = response.content.decode()
    assert (OWNER_MARKER in html) is sees_owners
    assert (COURT_MARKER in html) is sees_justice
    assert ('id="sheet-owners"' in html) is sees_owners  # absent, not hidden
    assert ('id="sheet-justice"' in html) is sees_justice

    response = client.get(docx_url)
    assert response.status_code == status
    if status == 404:
        assert PageLogEntry.objects.filter(action=sheet.ACTION_SHEET).count() == 0
        return
    assert html.count(site.name) >= 1 and site.address in html and "2031" in html
    text = docx_text(response.content)
    assert site.name in text and site.address in text and "2031" in text
    assert (OWNER_MARKER in text) is sees_owners
    assert (COURT_MARKER in text) is sees_justice


def test_the_word_document_is_a_valid_a4_download(client, place):
    site = make_site(place["here"], name="Les Églantiers / Nord")
    client.force_login(reader(Role.NATIONAL_ADMIN, None))
    response = client.get(urls(site)[1])
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="fiche-site-{site.pk}-les-eglantiers-nord')
    assert disposition.endswith('.docx"')
    assert disposition.isascii()
    assert response["Cache-Control"] == "no-store"
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.title == site.title
    assert len(document.tables) >= 4


def test_each_sheet_is_logged_with_its_format(client, place):
    site = make_site(place["here"])
    user = reader(Role.LOCAL_ADMIN, place["here"])
    client.force_login(user)
    html_url, docx_url = urls(site)
    assert client.get(html_url).status_code == 200
    assert client.get(docx_url).status_code == 200
    entries = PageLogEntry.objects.filter(action=sheet.ACTION_SHEET, page_id=site.pk)
    assert sorted(entry.data["format"] for entry in entries) == ["docx", "html"]
    assert {entry.user_id for entry in entries} == {user.pk}
    assert {str(entry.message) for entry in entries} == {
        gettext("Site sheet opened for printing"),
        gettext("Site sheet downloaded (DOCX)"),
    }


def test_bad_pk_and_anonymous_visitors(client, place):
    site = make_site(place["here"])
    html_url, docx_url = urls(site)
    for url in (html_url, docx_url):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    client.force_login(reader(Role.NATIONAL_ADMIN, None))
    for name in ("site_sheet", "site_sheet_docx"):
        assert client.get(reverse(name, args=[site.pk + 10_000])).status_code == 404
    site.unpublish()
    assert client.get(html_url).status_code == 404
    assert not PageLogEntry.objects.filter(action=sheet.ACTION_SHEET).exists()


def test_the_site_page_links_to_the_sheet(client, place):
    site = make_site(place["here"])
    client.force_login(reader(Role.OBSERVATEUR_EXTERNE, place["here"]))
    html = client.get(site.url).content.decode()
    assert f'href="{urls(site)[0]}"' in html and 'id="site-sheet-link"' in html


def test_the_sheet_shows_the_site(client, place):
    actor = UserFactory(first_name="Ada", last_name="Actrice")
    site = make_site(
        place["here"],
        people=42,
        caravans=7,
        pests=True,
        resorption_process=True,
        technical_diagnosis_done=True,
    )
    SiteActor.objects.create(site=site, user=actor, themes=[Topic.HEALTH])
    client.force_login(reader(Role.NATIONAL_ADMIN, None))
    response = client.get(urls(site)[0])
    data = response.context["sheet"]
    assert len(data["living_conditions"]) == 6
    assert data["population"][0][1] == 42 and data["housing"][0][1] == 7  # caravans first
    assert [phase["key"] for phase in data["resorption_phases"]][1] == "technical_diagnosis"
    assert data["resorption_phases"][1]["state"] == "done"
    assert data["actors"][0]["name"] == "Ada Actrice"
    text = docx_text(client.get(urls(site)[1]).content)
    assert "Ada Actrice" in text and "42" in text


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("which", [0, 1], ids=["html", "docx"])
def test_queries_do_not_grow_with_the_actors(client, place, which):
    client.force_login(reader(Role.NATIONAL_ADMIN, None))
    small, big = make_site(place["here"]), make_site(place["here"])
    for site, size in ((small, 1), (big, 10)):
        for _n in range(size):
            SiteActor.objects.create(site=site, user=UserFactory(), themes=[Topic.HOUSING])
    count_queries(client, urls(small)[which])  # warm the per-process caches
    assert count_queries(client, urls(small)[which]) == count_queries(client, urls(big)[which])
