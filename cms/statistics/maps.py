"""Geometry of the public statistics' department map, drawn server-side as inline SVG.

Proportional circles (area ∝ people living in open sites) on the departments' outlines, from the
committed `cms/data/department_map.json` (built by `manage.py build_department_map`, shapes ©
svg-maps / Victor Cazanave, CC BY 4.0). Paris and its inner ring, where circles overlap the most,
are enlarged in a box in the Channel; the five overseas departments are labelled inset boxes in
a row under metropolitan France.

Only the published department rows (already suppressed, from the cached computation) reach this
module: a suppressed department gets a hatch and no circle, and nothing here knows of a site.
"""

import functools
import json
import math
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from cms.statistics.charts import display, is_suppressed

DATA_FILE = Path(settings.BASE_DIR) / "cms" / "data" / "department_map.json"
MAX_RADIUS = 28  # map units (the metropolitan map is 613 units wide)
MIN_RADIUS = 1.5  # so that the smallest published count stays visible
INSET_TOP_GAP = 10
INSET_HEIGHT = 100
INSET_GAP = 10
INSET_LABEL = 16  # height of the label band at the top of an inset box
# Zoom on Paris and its inner ring, in the Channel (top left), where circles overlap the most.
ZOOM_CODES = ("75", "92", "93", "94")
ZOOM_CONTEXT = ("77", "78", "91", "95")  # drawn (clipped) around them, without circles
ZOOM_BOX = (4, 4, 120, 124)  # x, y, width, height, label band included
ZOOM_SCALE = 5
LEGEND_X = 40  # centre of the legend's nested circles, in the Bay of Biscay
LEGEND_BOTTOM = 575
LEGEND_TEXT_X = LEGEND_X + MAX_RADIUS + 14

KNOWN = "known"
SUPPRESSED = "suppressed"
NONE = "none"


@functools.cache
def map_data() -> dict:
    """The committed map document (read once per process)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def radius(value: int, top: int) -> float:
    """Circle radius for a count: the area is proportional to the count."""
    if value <= 0 or top <= 0:
        return 0
    return round(max(MIN_RADIUS, MAX_RADIUS * math.sqrt(value / top)), 2)


def nice_floor(value: float) -> int:
    """The largest 1, 2 or 5 × 10^k not above `value` (0 below 1)."""
    if value < 1:
        return 0
    power = 10 ** math.floor(math.log10(value))
    for step in (5, 2, 1):
        if step * power <= value:
            return step * power
    return power  # pragma: no cover - unreachable: power <= value


def legend_values(top: int, threshold: int) -> list[int]:
    """Two or three round reference counts for the legend, the largest not above `top`, none
    below the suppression threshold (the map never shows such a count)."""
    largest = nice_floor(top)
    values = []
    for value in (largest, nice_floor(largest / 4), nice_floor(largest / 20)):
        if value >= threshold and value not in values:
            values.append(value)
    return values


def _state(row: dict | None) -> str:
    if row is None:
        return NONE
    return SUPPRESSED if is_suppressed(row["people"]) else KNOWN


def _title(label: str, row: dict | None) -> str:
    if row is None:
        return _("%(department)s: no open site known") % {"department": label}
    values = {
        "department": label,
        "people": display(row["people"]),
        "sites": display(row["open_sites"]),
    }
    if is_suppressed(row["people"]) or is_suppressed(row["open_sites"]):
        return (
            _("%(department)s: %(people)s people, %(sites)s open sites (statistical secrecy)")
            % values
        )
    return _("%(department)s: %(people)s people, %(sites)s open sites") % values


def _zoom(data: dict, shapes: list[dict], symbols: list[dict]) -> dict:
    """Paris and its inner ring enlarged ZOOM_SCALE times: the same shapes under a transform,
    and the same circles (same radius) at the enlarged anchors."""
    boxes = [data["departments"][code]["bbox"] for code in ZOOM_CODES]
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    x, y, width, height = ZOOM_BOX
    centre_x, centre_y = x + width / 2, y + INSET_LABEL + (height - INSET_LABEL) / 2
    shift_x = centre_x - ZOOM_SCALE * (left + right) / 2
    shift_y = centre_y - ZOOM_SCALE * (top + bottom) / 2
    by_code = {shape["code"]: shape for shape in shapes}
    zoomed = [
        {
            **symbol,
            "cx": round(shift_x + ZOOM_SCALE * symbol["cx"], 2),
            "cy": round(shift_y + ZOOM_SCALE * symbol["cy"], 2),
        }
        for symbol in symbols
        if symbol["code"] in ZOOM_CODES
    ]
    return {
        "label": _("Paris and inner ring"),
        "x": x,
        "y": y + INSET_LABEL,
        "width": width,
        "height": height - INSET_LABEL,
        "text_x": centre_x,
        "text_y": y + INSET_LABEL - 4,
        "transform": f"translate({shift_x:.2f} {shift_y:.2f}) scale({ZOOM_SCALE})",
        "shapes": [by_code[code] for code in (*ZOOM_CONTEXT, *ZOOM_CODES)],
        "symbols": sorted(zoomed, key=lambda symbol: -symbol["r"]),
        # where the zoom is on the main map
        "frame": {
            "x": left,
            "y": top,
            "width": round(right - left, 1),
            "height": round(bottom - top, 1),
        },
    }


def department_map(rows: list[dict], *, threshold: int) -> dict:
    """Everything the template draws, from the published department rows."""
    data = map_data()
    by_code = {row["code"]: row for row in rows}
    top = max(
        [row["people"] for row in rows if not is_suppressed(row["people"])] + [0],
    )
    left, top_y, width, height = data["viewBox"]
    symbols = []

    def add_symbol(code: str, x: float, y: float, row: dict | None, title: str):
        if _state(row) == KNOWN and row["people"] > 0:
            r = radius(row["people"], top)
            symbols.append({"code": code, "cx": x, "cy": y, "r": r, "title": title})

    shapes = []
    for code, entry in data["departments"].items():
        row = by_code.get(code)
        label = f"{row['name'] if row else entry['name']} ({code})"
        title = _title(label, row)
        shapes.append({"code": code, "d": entry["d"], "state": _state(row), "title": title})
        add_symbol(code, *entry["anchor"], row, title)

    insets = []
    count = len(data["overseas"])
    box = (width - INSET_GAP * (count - 1)) / count
    inset_y = top_y + height + INSET_TOP_GAP
    for index, entry in enumerate(data["overseas"]):
        code = entry["code"]
        row = by_code.get(code)
        label = f"{row['name'] if row else entry['name']} ({code})"
        title = _title(label, row)
        x = round(left + index * (box + INSET_GAP), 2)
        insets.append(
            {
                "code": code,
                "label": label,
                "title": title,
                "state": _state(row),
                "x": x,
                "y": inset_y + INSET_LABEL,
                "width": round(box, 2),
                "height": INSET_HEIGHT - INSET_LABEL,
                "text_x": round(x + box / 2, 2),
                "text_y": inset_y + INSET_LABEL - 4,
            }
        )
        add_symbol(
            code, round(x + box / 2, 2), inset_y + (INSET_HEIGHT + INSET_LABEL) / 2, row, title
        )

    zoom = _zoom(data, shapes, symbols)
    legend = []
    for value in legend_values(top, threshold):
        r = radius(value, top)
        legend.append(
            {
                "value": display(value),
                "r": r,
                "cy": round(LEGEND_BOTTOM - r, 2),
                "line_y": round(LEGEND_BOTTOM - 2 * r, 2),
                "text_y": round(LEGEND_BOTTOM - 2 * r + 4, 2),
            }
        )

    return {
        "view_box": f"{left} {top_y} {width} {height + INSET_TOP_GAP + INSET_HEIGHT + 1}",
        "shapes": shapes,
        "insets": insets,
        # Largest circles first, so that a small one is never hidden under a large one.
        "symbols": sorted(symbols, key=lambda symbol: -symbol["r"]),
        "legend": legend,
        "legend_x": LEGEND_X,
        "legend_text_x": LEGEND_TEXT_X,
        "legend_line_end": LEGEND_TEXT_X - 4,
        "legend_title_y": LEGEND_BOTTOM - 2 * MAX_RADIUS - 12,
        "zoom": zoom,
    }
