"""Journal exports: who may export, which messages (readable, published, on sites where the
user holds JOURNAL_EXPORT), one site or a territory, date range, files, formulas, the log."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from directory.enums import Role
from journal.models import Audience, EntryState, JournalExport
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.journal.factories import EntryFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

URL = "/journal/export/"


@pytest.fixture
def place():
    here, elsewhere = DepartmentFactory(), DepartmentFactory()
    site_here = SitePageFactory(commune=CommuneFactory(department=here), name="Ici")
    site_other = SitePageFactory(commune=CommuneFactory(department=elsewhere), name="Ailleurs")
    writer = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(writer)
    EntryFactory(site=site_here, author=writer, text="Public-Ici")
    EntryFactory(site=site_here, author=writer, text="Etat-Ici", audience=Audience.STATE_SERVICES)
    EntryFactory(
        site=site_here,
        author=writer,
        text="Masque-Ici",
        state=EntryState.HIDDEN,
        hidden_reason="Hors charte",
    )
    EntryFactory(site=site_other, author=writer, text="Public-Ailleurs")
    return {"here": here, "elsewhere": elsewhere, "site": site_here, "other": site_other}


def member(role, area=None):
    user = UserFactory(role=role)
    give_area(user, area)
    return user


def texts(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv"), response.context["form"].errors
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";")
    return sorted(row["Message"] for row in rows)


def test_local_admin_exports_their_territory_only(client, place):
    client.force_login(member(Role.LOCAL_ADMIN, place["here"]))
    assert client.get(URL).status_code == 200
    exported = texts(client.post(URL, {"file_format": "csv"}))
    assert exported == ["Etat-Ici", "Public-Ici"]  # never hidden, never another department


def test_state_only_messages_need_the_right_to_read_them(client, place):
    """A correspondant of another department exports locally: nothing of "here"; with the
    department of "here" the state-services message is theirs to read as a State service."""
    client.force_login(member(Role.CORRESPONDANT, place["elsewhere"]))
    assert texts(client.post(URL, {"file_format": "csv"})) == ["Public-Ailleurs"]


@pytest.mark.parametrize("role", [Role.INTERVENANT, Role.OPERATEUR, Role.OBSERVATEUR_EXTERNE])
def test_roles_without_the_right_get_403(client, place, role):
    client.force_login(member(role, place["here"]))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file_format": "csv"}).status_code == 403
    assert not JournalExport.objects.exists()


def test_one_site_and_its_link_on_the_stream(client, place):
    client.force_login(member(Role.NATIONAL_ADMIN))
    stream = client.get(f"/journal/site/{place['site'].pk}/").content.decode()
    assert f"/journal/export/?site={place['site'].pk}" in stream
    exported = texts(client.post(f"{URL}?site={place['site'].pk}", {"file_format": "csv"}))
    assert exported == ["Etat-Ici", "Public-Ici"]


def test_a_site_outside_the_right_is_a_404(client, place):
    client.force_login(member(Role.LOCAL_ADMIN, place["here"]))
    assert client.get(f"{URL}?site={place['other'].pk}").status_code == 404
    assert client.get(f"{URL}?site=abc").status_code == 404
    assert client.get(f"{URL}?site=999999").status_code == 404
    stream = client.get(f"/journal/site/{place['site'].pk}/").content.decode()
    assert "/journal/export/?site=" in stream
    client.force_login(member(Role.INTERVENANT, place["here"]))
    stream = client.get(f"/journal/site/{place['site'].pk}/").content.decode()
    assert "/journal/export/" not in stream


def test_territory_and_dates(client, place):
    client.force_login(member(Role.NATIONAL_ADMIN))
    territory = f"department:{place['elsewhere'].code}"
    assert texts(client.post(URL, {"file_format": "csv", "territoire": territory})) == [
        "Public-Ailleurs"
    ]
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(URL, {"file_format": "csv", "since": tomorrow.isoformat()})
    assert "futur" in response.context["form"].errors["since"][0]
    response = client.post(
        URL, {"file_format": "csv", "since": today.isoformat(), "until": "2020-01-01"}
    )
    assert response.context["form"].errors["until"]
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    response = client.post(URL, {"file_format": "csv", "until": yesterday})
    assert response.context["form"].non_field_errors()  # nothing that old: said, not a file
    assert JournalExport.objects.count() == 1  # only the territory export above


@pytest.mark.parametrize(
    "data", [{}, {"file_format": "pdf"}, {"file_format": "csv", "territoire": "x" * 3000}]
)
def test_bad_input_gets_the_form_again(client, place, data):
    client.force_login(member(Role.NATIONAL_ADMIN))
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_xlsx_formulas_and_log(client, place):
    writer = member(Role.LOCAL_ADMIN, place["here"])
    EntryFactory(site=place["site"], author=writer, text='=HYPERLINK("http://x.example")')
    client.force_login(writer)
    response = client.post(URL, {"file_format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Message")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x.example")' in [cell.value for cell in cells]
    assert all(cell.data_type == "s" for cell in cells)
    record = JournalExport.objects.get()
    assert (record.user, record.entry_count, record.file_format) == (writer, 3, "xlsx")
    assert ModelLogEntry.objects.filter(action="journal.export", user_id=writer.pk).exists()


def test_query_count_is_flat(client, place):
    user = member(Role.NATIONAL_ADMIN)
    client.force_login(user)

    def count():
        client.post(URL, {"file_format": "csv"})
        with CaptureQueriesContext(connection) as captured:
            assert client.post(URL, {"file_format": "csv"}).status_code == 200
        return len(captured)

    small = count()
    for number in range(20):
        EntryFactory(site=place["other"], author=user, text=f"Encore {number}")
    assert count() == small


def test_every_cell_of_every_sheet_is_text_unless_typed_on_purpose(client, place):
    """The "about" sheet holds the site's title and the exporter's name: typed by users, never
    formulas (openpyxl turns any string starting with "=" into one unless told otherwise)."""
    from sitepages.models import SitePage

    site = place["site"]
    SitePage.objects.filter(pk=site.pk).update(title='=HYPERLINK("http://evil.example","x")')
    exporter = member(Role.LOCAL_ADMIN, place["here"])
    exporter.first_name, exporter.last_name = "=1+1", "@SUM(A1)"
    exporter.save()
    client.force_login(exporter)
    response = client.post(f"{URL}?site={site.pk}", {"file_format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 2
    formulas = [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or str(cell.value or "").startswith("=")
    ]
    assert formulas == []
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Site"] == '\'=HYPERLINK("http://evil.example","x")'
    assert about["Exporté par"] == "'=1+1 @SUM(A1)"
