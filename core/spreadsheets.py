"""Spreadsheet files for every export (sites, journals, actions, users): CSV a French
spreadsheet opens as is, and XLSX whose cells are typed on purpose. Text a spreadsheet would run
as a formula (=, +, -, @, tab, carriage return) is neutralised in both (OWASP's CSV injection)."""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Export:
    headers: list[str]
    rows: list[list]

    def __len__(self):
        return len(self.rows)


def safe_cell(value):
    """Text a spreadsheet would evaluate as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def text(value) -> str:
    """A cell as CSV text: dates as dd/mm/yyyy, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return safe_cell(str(value))


def to_csv(export: Export) -> bytes:
    """Semicolon-separated, UTF-8 with a byte order mark: what a French spreadsheet opens as is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([text(header) for header in export.headers])
    for row in export.rows:
        writer.writerow([text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_cell(sheet, value, *, font=None):
    """The one way a value enters an XLSX export: numbers and dates typed as such on purpose,
    everything else text — never a formula, whatever it starts with (openpyxl makes a formula of
    any string starting with "="), and neutralised for spreadsheets that re-evaluate text."""
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        cell = WriteOnlyCell(sheet, value=None)
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
    else:
        cell = WriteOnlyCell(sheet, value=safe_cell(str(value)))
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def to_xlsx(
    export: Export,
    *,
    sheet_title: str,
    more_sheets: dict[str, Export] | None = None,
    about: list[tuple[str, str]] | None = None,
    freeze: str = "B2",
) -> bytes:
    """The rows on a first sheet (bold header, panes frozen at `freeze`), then `more_sheets`
    (title → table) alike, then `about` (label, value) on a last one when given; every cell of
    every sheet goes through `xlsx_cell`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, table in {sheet_title: export, **(more_sheets or {})}.items():
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = freeze
        sheet.append([xlsx_cell(sheet, header, font=bold) for header in table.headers])
        for row in table.rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
    if about is not None:
        info = workbook.create_sheet(_("About this export"))
        for label, value in about:
            info.append([xlsx_cell(info, label, font=bold), xlsx_cell(info, value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_response(content: bytes, *, file_format: str, name: str) -> HttpResponse:
    """The file as a download (`name` without its extension), never stored by a cache."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response
