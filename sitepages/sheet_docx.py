"""The site sheet as a Word document (python-docx), written from `sheet.sheet_data`: the same
sections as the printed page, in the same order, on an A4 page."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Mm, Pt

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _heading(document, text: str, level: int = 2) -> None:
    document.add_heading(text, level=level)


def _pairs(document, rows, *, empty: str = "") -> None:
    """A two-column table of (label, value); `empty` when there is no row."""
    if not rows:
        if empty:
            document.add_paragraph(empty)
        return
    table = document.add_table(rows=0, cols=2, style="Table Grid")
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = str(label)
        cells[1].text = "" if value is None else str(value)


def _bullets(document, lines, *, empty: str) -> None:
    if not lines:
        document.add_paragraph(empty)
    for line in lines:
        document.add_paragraph(line, style="List Bullet")


def _setup(document, title: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(12))
    document.styles["Normal"].font.size = Pt(9)
    document.core_properties.title = title
    document.core_properties.language = "fr-FR"


def write(sheet: dict) -> bytes:
    """The sheet as the bytes of a .docx file."""
    not_provided = _("Not provided")
    document = Document()
    _setup(document, sheet["title"])
    document.add_heading(_("Site sheet: %(title)s") % {"title": sheet["title"]}, level=1)
    status = sheet["status_label"]
    if sheet["heatwave"]:
        status = f"{status} — {_('Heatwave alert')}"
    document.add_paragraph(_("Status: %(status)s") % {"status": status})

    _heading(document, _("Identity"))
    _pairs(document, sheet["identity"])

    _heading(document, _("Population and housing"))
    if sheet["population_updated_at"]:
        document.add_paragraph(
            _("Population updated on %(date)s") % {"date": sheet["population_updated_at"]}
        )
    counts = [
        (label, not_provided if value is None else value)
        for label, value in sheet["population"] + sheet["housing"]
    ]
    _pairs(document, counts)

    _heading(document, _("Living conditions"))
    _pairs(document, [(row["theme"], row["status"]) for row in sheet["living_conditions"]])

    _heading(document, _("Social diagnosis"))
    _pairs(document, sheet["social_diagnosis"], empty=not_provided)

    _heading(document, _("Resorption process"))
    year = sheet["resorption_target_year"]
    document.add_paragraph(
        _("Resorption target year: %(year)s") % {"year": not_provided if year is None else year}
    )
    if sheet["resorption_process"]:
        document.add_paragraph(
            _("Preparatory phases done: %(done)s of %(total)s")
            % {"done": sheet["resorption_done"], "total": sheet["resorption_total"]}
        )
        _pairs(
            document,
            [
                (phase["label"], f"{phase['state_label']} {phase['when']}".strip())
                for phase in sheet["resorption_phases"]
            ],
        )
    else:
        document.add_paragraph(_("The site is not engaged in a resorption process."))

    if sheet["closing"] is not None:
        _heading(document, _("Closing"))
        _pairs(document, sheet["closing"], empty=not_provided)

    _heading(document, _("Site actors"))
    _bullets(
        document,
        [
            " — ".join(
                part
                for part in (
                    actor["name"],
                    actor["organization"],
                    actor["themes"],
                )
                if part
            )
            for actor in sheet["actors"]
        ],
        empty=_("No actor declared yet."),
    )

    if sheet["owners"] is not None:
        _heading(document, _("Owners"))
        _bullets(
            document,
            [
                f"{owner['type']} — {owner['name']}" if owner["name"] else owner["type"]
                for owner in sheet["owners"]
            ],
            empty=not_provided,
        )
    if sheet["justice"] is not None:
        _heading(document, _("Justice and procedures"))
        _pairs(document, sheet["justice"], empty=not_provided)

    document.add_paragraph(
        _("Sheet printed on %(date)s by %(name)s")
        % {"date": sheet["printed_on"], "name": sheet["printed_by"]}
    )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
