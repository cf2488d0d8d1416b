"""The files every export writes: formulas neutralised, cells typed on purpose, a download."""

import datetime
import io

from openpyxl import load_workbook

from core import spreadsheets

TABLE = spreadsheets.Export(
    headers=["Nom", "Personnes", "Depuis"],
    rows=[['=HYPERLINK("http://evil")', 12, datetime.date(2026, 3, 1)], ["+33 1 23", None, None]],
)


def test_the_csv_opens_in_a_french_spreadsheet_and_runs_no_formula():
    content = spreadsheets.to_csv(TABLE).decode("utf-8")
    assert content.startswith("\ufeffNom;Personnes;Depuis\r\n")
    assert "'=HYPERLINK" in content and "'+33 1 23" in content
    assert ";12;01/03/2026\r\n" in content


def test_the_xlsx_types_numbers_and_dates_and_keeps_text_as_text():
    content = spreadsheets.to_xlsx(TABLE, sheet_title="Sites", about=[("Filtres", "=1+1")])
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Sites", "À propos de cet export"]
    rows = list(workbook["Sites"].values)
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][1] == 12
    assert rows[1][2] == datetime.datetime(2026, 3, 1)
    assert list(workbook["À propos de cet export"].values) == [("Filtres", "'=1+1")]


def test_without_about_there_is_one_sheet():
    content = spreadsheets.to_xlsx(TABLE, sheet_title="Utilisateurs", freeze="A2")
    assert load_workbook(io.BytesIO(content)).sheetnames == ["Utilisateurs"]


def test_the_file_is_a_download_no_cache_keeps():
    response = spreadsheets.file_response(b"x", file_format="csv", name="sites-2026-12-06")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sites-2026-12-06.csv"'
    assert response["Cache-Control"] == "no-store"
