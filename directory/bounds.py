"""Where a department's places may lie: bounding boxes in decimal degrees (WGS 84).

The territory data (`data/territories.json.gz`, from the Code officiel géographique) carries no
coordinates, so a department is bounded by the area it belongs to: metropolitan France (Corsica
included) or its overseas department. Each box is the area's extreme points widened by about
5 km. It catches what a typing slip produces — swapped latitude and longitude, a dropped sign,
a place on another continent — not a site put in the neighbouring department.
"""

from decimal import Decimal

#: (south, west, north, east)
METROPOLITAN = (41.30, -5.20, 51.15, 9.62)
OVERSEAS = {
    "971": (15.80, -61.86, 16.56, -60.95),  # Guadeloupe
    "972": (14.36, -61.28, 14.92, -60.77),  # Martinique
    "973": (2.08, -54.65, 5.80, -51.58),  # Guyane
    "974": (-21.43, 55.17, -20.83, 55.88),  # La Réunion
    "976": (-13.04, 44.94, -12.59, 45.34),  # Mayotte
}


def department_bounds(code: str) -> tuple[float, float, float, float] | None:
    """The box a place of department `code` lies in; None for a code that is no department."""
    if code in OVERSEAS:
        return OVERSEAS[code]
    if code in ("2A", "2B") or (len(code) == 2 and code.isdigit() and code not in ("00", "20")):
        return METROPOLITAN
    return None


def contains(bounds, latitude: Decimal | float, longitude: Decimal | float) -> bool:
    south, west, north, east = bounds
    return south <= float(latitude) <= north and west <= float(longitude) <= east
