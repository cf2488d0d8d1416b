"""Presentation of the published statistics: display of a published count and the geometry of
the server-rendered SVG charts. Published values are ints or, when suppressed, their label
("< 10"): nothing here sees a raw figure."""

from django.utils import formats


def is_suppressed(value) -> bool:
    return isinstance(value, str)


def display(value) -> str:
    """French display of a published count: "12 345", or the suppression label as is."""
    if isinstance(value, str):
        return value
    return formats.number_format(value, force_grouping=True)


def _number(value) -> int:
    return value if isinstance(value, int) else 0


def bar_chart(points: list[tuple[str, int | str]], *, height: int = 160, bar: int = 36) -> dict:
    """Geometry of a server-rendered SVG bar chart: one bar per (label, published value);
    suppressed values get no bar, only their label."""
    gap = 12
    top = max([_number(value) for _label, value in points] + [1])
    bars = []
    for index, (label, value) in enumerate(points):
        size = round(_number(value) / top * (height - 30)) if not is_suppressed(value) else 0
        x = gap + index * (bar + gap)
        bars.append(
            {
                "label": label,
                "display": display(value),
                "x": x,
                "text_x": x + bar // 2,
                "y": height - 20 - size,
                "height": size,
                "value_y": height - 24 - size,
            }
        )
    return {
        "bars": bars,
        "width": gap + len(points) * (bar + gap),
        "height": height,
        "bar_width": bar,
        "axis_y": height - 20,
        "label_y": height - 5,
    }


def horizontal_bars(rows: list[tuple[str, int | str]]) -> list[dict]:
    """Proportional bars (percent of the largest value) for the department-level view."""
    top = max([_number(value) for _label, value in rows] + [1])
    return [
        {
            "label": label,
            "display": display(value),
            "percent": 0 if is_suppressed(value) else round(_number(value) / top * 100),
        }
        for label, value in rows
    ]
