"""Site exports: who may export which sites, what sensitive cells hold for whom, the past-day
export read from revisions, the files themselves (CSV, XLSX), formula neutralising, the log."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from directory.enums import Role, Topic, UserOption
from directory.models import PermissionException
from directory.permission_matrix import Feature, Scope
from journal.models import Audience, EntryState
from sitepages.enums import OwnerType, SolutionType
from sitepages.models import ClosingSolution, SiteActor, SiteExport, SiteOwner, SitePage
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    UserFactory,
    give_area,
)
from tests.journal.factories import EntryFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

OWNER = "Proprio-Export-7Q"
COURT = "Tribunal-Export-4K"


def publish(site, user=None, **changes):
    site = SitePage.objects.get(pk=site.pk).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(site, name, value)
    revision = site.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    return revision


@pytest.fixture
def place():
    here, elsewhere = DepartmentFactory(), DepartmentFactory()
    sites = {}
    for key, department in (("here", here), ("elsewhere", elsewhere)):
        site = SitePageFactory(
            commune=CommuneFactory(department=department),
            name=f"Site {key}",
            people=40,
            justice_procedure=True,
            justice_decision=True,
            justice_court=f"{COURT}-{key}",
        )
        SiteOwner.objects.create(site=site, type=OwnerType.PRIVATE, name=f"{OWNER}-{key}")
        sites[key] = site
    return {"here": here, "elsewhere": elsewhere, "sites": sites}


def user_with(role, area, **extra):
    user = UserFactory(role=role, **extra)
    give_area(user, area)
    return user


def export(client, sections, *, file_format="csv", as_of="", query=""):
    return client.post(
        f"/sites/export/{query}",
        {"file_format": file_format, "sections": sections, "as_of": as_of},
    )


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv"), response.context["form"].errors
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


# --- Who may export, which sites ----------------------------------------------------------------

EXPORTERS = {
    "national admin": (Role.NATIONAL_ADMIN, None, {"Site here", "Site elsewhere"}),
    "local admin here": (Role.LOCAL_ADMIN, "here", {"Site here"}),
    "correspondant here (national export)": (
        Role.CORRESPONDANT,
        "here",
        {"Site here", "Site elsewhere"},
    ),
    "operateur elsewhere": (Role.OPERATEUR, "elsewhere", {"Site elsewhere"}),
    "intervenant here": (Role.INTERVENANT, "here", None),
    "observateur here": (Role.OBSERVATEUR_EXTERNE, "here", None),
}


@pytest.mark.parametrize("case", EXPORTERS)
def test_who_exports_which_sites(client, place, case):
    role, area, expected = EXPORTERS[case]
    client.force_login(user_with(role, place.get(area)))

    page = client.get("/sites/export/")
    # Every site the user may list: the list's « every site » perimeter (own areas by default).
    response = export(client, ["localisation", "site"], query="?statut=tous&perimetre=tout")

    if expected is None:
        assert page.status_code == 403
        assert response.status_code == 403
        assert not SiteExport.objects.exists()
        return
    assert page.status_code == 200
    assert {row["Nom"] for row in csv_rows(response)} == expected


def test_anonymous_is_sent_to_login(client, place):
    response = client.get("/sites/export/")
    assert response.status_code == 302
    assert "/connexion/" in response["Location"] or "login" in response["Location"]


def test_list_filters_apply_to_the_export(client, place):
    client.force_login(user_with(Role.NATIONAL_ADMIN, None))
    department = place["here"].code
    rows = csv_rows(export(client, ["localisation"], query=f"?territoire=department:{department}"))
    assert [row["Code du département"] for row in rows] == [department]


def test_the_list_links_to_the_export_with_its_filters(client, place):
    client.force_login(user_with(Role.NATIONAL_ADMIN, None))
    html = client.get("/sites/", {"statut": "tous"}).content.decode()
    assert 'href="/sites/export/?statut=tous"' in html
    client.force_login(user_with(Role.INTERVENANT, place["here"]))
    assert "/sites/export/" not in client.get("/sites/").content.decode()


# --- Sensitive sections -------------------------------------------------------------------------


def test_sensitive_sections_are_not_offered_without_the_right(client, place):
    client.force_login(user_with(Role.OPERATEUR, place["here"]))
    html = client.get("/sites/export/").content.decode()
    assert 'value="proprietaires"' not in html
    assert 'value="procedures"' not in html
    forged = export(client, ["site", "procedures", "proprietaires"])
    assert forged.status_code == 200  # the form again, with the error
    assert "procedures" in forged.context["form"].errors["sections"][0]
    assert not SiteExport.objects.exists()


def test_sensitive_cells_are_filled_only_where_the_user_has_the_right(client, place):
    """National export, owners everywhere, justice only here (option): the procedure columns
    of the site elsewhere stay empty."""
    user = user_with(
        Role.PARTENAIRE_INSTITUTIONNEL, place["here"], options=[UserOption.JUSTICE_ACCESS]
    )
    PermissionException.objects.create(user=user, feature=Feature.SITE_EXPORT, scope=Scope.NATIONAL)
    PermissionException.objects.create(user=user, feature=Feature.SITE_LIST, scope=Scope.NATIONAL)
    PermissionException.objects.create(user=user, feature=Feature.SITE_OWNERS, scope=Scope.LOCAL)
    client.force_login(user)

    response = export(
        client, ["site", "proprietaires", "procedures"], query="?statut=tous&perimetre=tout"
    )
    rows = {row["Nom"]: row for row in csv_rows(response)}

    assert set(rows) == {"Site here", "Site elsewhere"}
    assert OWNER in rows["Site here"]["Propriétaires"]
    assert rows["Site here"]["Juridiction"] == f"{COURT}-here"
    assert rows["Site here"]["Procédure judiciaire"] == "Oui"
    assert rows["Site elsewhere"]["Propriétaires"] == ""
    assert rows["Site elsewhere"]["Juridiction"] == ""
    assert rows["Site elsewhere"]["Procédure judiciaire"] == ""
    assert OWNER + "-elsewhere" not in response.content.decode()
    assert COURT + "-elsewhere" not in response.content.decode()


def test_journal_section_holds_only_what_the_user_may_read(client, place):
    site = place["sites"]["here"]
    author = user_with(Role.LOCAL_ADMIN, place["here"])
    EntryFactory(site=site, author=author, text="Message-Public-1")
    EntryFactory(site=site, author=author, text="Message-Etat-2", audience=Audience.STATE_SERVICES)
    EntryFactory(
        site=site,
        author=author,
        text="Message-Masque-3",
        state=EntryState.HIDDEN,
        hidden_reason="Hors charte",
    )
    for number in range(4):
        EntryFactory(site=site, author=author, text=f"Ancien-{number}")
    client.force_login(user_with(Role.OPERATEUR, place["here"]))

    rows = csv_rows(export(client, ["site", "journal"]))
    text = rows[0]["Derniers messages du journal"]

    assert "Message-Etat-2" not in text
    assert "Message-Masque-3" not in text
    assert text.count(" — ") == 3  # the three last readable messages


# --- As of a past day ---------------------------------------------------------------------------


def test_as_of_a_past_day_reads_the_revisions_of_that_day(client, place):
    site = place["sites"]["here"]
    user = user_with(Role.NATIONAL_ADMIN, None)
    old = publish(site, user, people=12)
    old_day = timezone.localdate() - datetime.timedelta(days=10)
    old.created_at = timezone.make_aware(datetime.datetime.combine(old_day, datetime.time(15)))
    old.save(update_fields=["created_at"])
    publish(site, user, people=99, closed_at=timezone.localdate(), closed_with_solutions=True)
    client.force_login(user)

    today = csv_rows(export(client, ["site", "habitants"], query="?statut=tous"))
    past = csv_rows(
        export(client, ["site", "habitants"], as_of=old_day.isoformat(), query="?statut=ouverts")
    )
    before = export(
        client,
        ["site", "habitants"],
        as_of=(old_day - datetime.timedelta(days=1)).isoformat(),
        query="?statut=tous",
    )

    by_name = {row["Nom"]: row for row in today}
    assert by_name["Site here"]["Personnes"] == "99"
    assert by_name["Site here"]["Statut"] == "Résorbé"
    assert [(row["Nom"], row["Personnes"], row["Statut"]) for row in past] == [
        ("Site here", "12", "Ouvert")
    ]
    # No revision yet the day before: the site did not exist then (the other site has none).
    assert before.context["form"].non_field_errors()


def test_past_day_without_any_site_says_so(client, place):
    client.force_login(user_with(Role.NATIONAL_ADMIN, None))
    response = export(client, ["site"], as_of="2015-01-01")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not SiteExport.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2999-01-01", "futur"),
        ("1999-12-31", "antérieur"),
        ("pas-une-date", "date valide"),
    ],
)
def test_bad_days_are_refused_clearly(client, place, value, message):
    client.force_login(user_with(Role.NATIONAL_ADMIN, None))
    response = export(client, ["site"], as_of=value)
    assert response.status_code == 200
    assert message in response.context["form"].errors["as_of"][0]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"file_format": "pdf", "sections": ["site"]},
        {"file_format": "csv", "sections": []},
        {"file_format": "csv", "sections": ["inconnue"]},
        {"file_format": ["csv", "xlsx"] * 50, "sections": ["site", "x" * 5000] * 50},
    ],
)
def test_malformed_posts_get_the_form_again(client, place, data):
    client.force_login(user_with(Role.NATIONAL_ADMIN, None))
    response = client.post("/sites/export/?statut=nimporte&page=x&territoire=zz", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not SiteExport.objects.exists()


# --- Files, formulas, log -----------------------------------------------------------------------


def test_xlsx_has_typed_cells_and_an_about_sheet(client, place):
    client.force_login(user_with(Role.NATIONAL_ADMIN, None))
    response = export(client, ["site", "habitants"], file_format="xlsx", query="?statut=tous")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sites-')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    rows = [
        dict(zip(header, [cell.value for cell in row], strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]
    assert {row["Nom"] for row in rows} == {"Site here", "Site elsewhere"}
    assert all(row["Personnes"] == 40 for row in rows)  # numbers stay numbers
    assert all(isinstance(row["Signalé le"], datetime.datetime) for row in rows)
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Nombre de sites"] == "2"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formulas_typed_by_users_are_never_evaluated(client, place, file_format):
    site = place["sites"]["here"]
    SitePage.objects.filter(pk=site.pk).update(
        name='=HYPERLINK("http://evil.example","x")', address="+33 1 23", access_details="@SUM(1)"
    )
    client.force_login(user_with(Role.NATIONAL_ADMIN, None))
    response = export(
        client, ["localisation", "site"], file_format=file_format, query="?statut=tous"
    )
    assert response.status_code == 200
    if file_format == "csv":
        names = [row["Nom"] for row in csv_rows(response)]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        column = [cell.value for cell in sheet[1]].index("Nom")
        names = [row[column].value for row in sheet.iter_rows(min_row=2)]
        assert all(row[column].data_type == "s" for row in sheet.iter_rows(min_row=2))
    assert '\'=HYPERLINK("http://evil.example","x")' in names


def test_each_export_is_logged(client, place):
    user = user_with(Role.NATIONAL_ADMIN, None)
    client.force_login(user)
    export(client, ["site", "habitants"], file_format="xlsx", query="?statut=tous")

    record = SiteExport.objects.get()
    assert (record.user, record.file_format, record.site_count) == (user, "xlsx", 2)
    assert record.sections == ["site", "habitants"]
    assert record.filters == "statut=tous"
    assert ModelLogEntry.objects.filter(action="sitepages.export", user_id=user.pk).count() == 1


def test_export_query_count_is_flat(client, place):
    """Every section, 2 sites then 12 sites, each with an owner, an actor (from an
    organisation), a closing solution and a journal message: the same number of queries, and the
    larger export does list the actors and solutions of all 12 (so the per-site lookups ran)."""
    user = user_with(Role.NATIONAL_ADMIN, None)
    client.force_login(user)
    sections = ["localisation", "site", "habitants", "conditions", "proprietaires", "procedures"]
    sections += ["intervenants", "fermeture", "journal"]

    def furnish(site, number):
        actor = UserFactory(last_name=f"Intervenant{number}", organization=OrganizationFactory())
        SiteActor.objects.create(site=site, user=actor, themes=[Topic.HEALTH])
        ClosingSolution.objects.create(
            site=site, solution_type=SolutionType.HOUSING, people=5, households=2
        )
        EntryFactory(site=site, author=user)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        export(client, sections, query="?statut=tous")  # warm the caches
        with CaptureQueriesContext(connection) as captured:
            response = export(client, sections, query="?statut=tous")
            rows = csv_rows(response)
        return len(captured), rows

    for number, site in enumerate(place["sites"].values()):
        furnish(site, number)
    small, rows = count()
    assert len(rows) == 2
    for number in range(2, 12):
        site = SitePageFactory(commune=place["sites"]["here"].commune)
        SiteOwner.objects.create(site=site, type=OwnerType.PUBLIC)
        furnish(site, number)
    large, rows = count()
    assert large == small
    assert len(rows) == 12
    actors = " ".join(row["Intervenants"] for row in rows)
    assert all(f"Intervenant{number}" in actors for number in range(12)), actors
    assert all(row["Solutions proposées"] for row in rows)


def test_no_cell_of_any_sheet_is_a_formula(client, place):
    """Headers, rows and the "about" sheet go through one writer: text unless a number or a date."""
    site = place["sites"]["here"]
    SitePage.objects.filter(pk=site.pk).update(name="=1+1", address="-2+3", access_details="@A1")
    exporter = user_with(Role.NATIONAL_ADMIN, None, first_name="=HYPERLINK(1)", last_name="+x")
    client.force_login(exporter)
    response = export(
        client, ["localisation", "site"], file_format="xlsx", query="?statut=tous&q=%3D1%2B1"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [
        (cell.coordinate, cell.value)
        for cell in cells
        if cell.data_type == "f" or str(cell.value or "").startswith("=")
    ]
    assert cells and formulas == []
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Exporté par"].startswith("'=HYPERLINK(1)")
