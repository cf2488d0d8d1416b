"""Convert the official npm package @etalab/decoupage-administratif into the committed data file.

The data file (`directory/data/territories.json.gz`) is committed, so that a fresh machine with
only Python can run `manage.py load_territories`. Regenerate it once a year, when the package
publishes a new vintage (millésime) of the Code officiel géographique:

    cd "$(mktemp -d)" && npm pack @etalab/decoupage-administratif && tar xzf etalab-*.tgz
    python manage.py build_territories_data --source "$PWD/package"

Then run `manage.py load_territories` and commit the new file.

Scope: the 18 regions and 101 departments (metropolitan France and the five overseas
departments-regions: Guadeloupe, Martinique, Guyane, La Réunion, Mayotte), every EPCI with its own
taxation, and the communes of type "commune-actuelle" of those departments. The overseas
collectivities (Saint-Martin, Saint-Pierre-et-Miquelon, Polynésie…; zone "com" in the package)
are neither regions nor departments, so they and their communes are left out. Municipal
arrondissements and delegated or associated communes are left out too.
"""

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory.models import Commune, Department, Epci, Region

PACKAGE_NAME = "@etalab/decoupage-administratif"
FORMAT_VERSION = 1
DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "directory" / "data" / "territories.json.gz"
DATA_FILES = ("regions.json", "departements.json", "epci.json", "communes.json")
# Zones of the package kept: metropolitan France and the overseas departments-regions.
KEPT_ZONES = {"metro", "drom"}
FIELDS = {
    "regions": ["code", "name"],
    "departments": ["code", "name", "region"],
    "epci": ["code", "name"],
    "communes": ["code", "name", "department", "epci", "population", "postal_codes"],
}


def _read(source: Path, filename: str):
    path = source / "data" / filename
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as exc:
        raise CommandError(f"{path} is missing: is {source} an unpacked {PACKAGE_NAME}?") from exc
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path} is not valid JSON: {exc}") from exc


def _check_length(model, field_name: str, value: str, code: str):
    max_length = model._meta.get_field(field_name).max_length
    if len(value) > max_length:
        raise CommandError(
            f"{model.__name__} {code}: {field_name} is {len(value)} characters long, "
            f"the model allows {max_length}. Widen the field (with a migration) first."
        )


def convert_package(source: Path, date: str | None = None) -> dict:
    """Read an unpacked package folder and return the compact document to write."""
    source = Path(source)
    try:
        package = json.loads((source / "package.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as exc:
        raise CommandError(f"{source / 'package.json'} is missing or invalid: {exc}") from exc
    if package.get("name") != PACKAGE_NAME:
        raise CommandError(f"{source} holds {package.get('name')!r}, not {PACKAGE_NAME}.")
    if date is None:
        # The package carries no date field: its data files' modification time is when they
        # were built from the official sources (npm pack and tar keep it).
        newest = max((source / "data" / name).stat().st_mtime for name in DATA_FILES)
        date = datetime.fromtimestamp(newest, tz=UTC).date().isoformat()

    regions = [
        [r["code"], r["nom"]] for r in _read(source, "regions.json") if r["zone"] in KEPT_ZONES
    ]
    region_codes = {code for code, _name in regions}
    departments = [
        [d["code"], d["nom"], d["region"]]
        for d in _read(source, "departements.json")
        if d["zone"] in KEPT_ZONES and d["region"] in region_codes
    ]
    department_codes = {code for code, _name, _region in departments}

    epci_of_commune = {}
    epci = []
    for item in _read(source, "epci.json"):
        epci.append([item["code"], item["nom"]])
        for member in item.get("membres", []):
            epci_of_commune[member["code"]] = item["code"]

    communes = []
    for c in _read(source, "communes.json"):
        if c.get("type") != "commune-actuelle" or c.get("departement") not in department_codes:
            continue
        postal_codes = " ".join(sorted(set(c.get("codesPostaux") or [])))
        communes.append(
            [
                c["code"],
                c["nom"],
                c["departement"],
                epci_of_commune.get(c["code"]),
                c.get("population"),
                postal_codes,
            ]
        )

    for model, rows in ((Region, regions), (Department, departments), (Epci, epci)):
        for row in rows:
            _check_length(model, "code", row[0], row[0])
            _check_length(model, "name", row[1], row[0])
    for row in communes:
        _check_length(Commune, "code", row[0], row[0])
        _check_length(Commune, "name", row[1], row[0])
        _check_length(Commune, "postal_codes", row[5], row[0])

    return {
        "format": FORMAT_VERSION,
        "source": {
            "package": PACKAGE_NAME,
            "version": package.get("version", ""),
            "date": date,
            "license": "Licence Ouverte / Open Licence (data), MIT (code)",
            "url": "https://www.npmjs.com/package/@etalab/decoupage-administratif",
        },
        "fields": FIELDS,
        "regions": sorted(regions),
        "departments": sorted(departments),
        "epci": sorted(epci),
        "communes": sorted(communes, key=lambda row: row[0]),
    }


def write_data_file(document: dict, output: Path) -> None:
    """Compact, reproducible gzip JSON: the same package always gives the same bytes."""
    output.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    tmp = output.with_name(output.name + ".tmp")
    with (
        tmp.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as handle,
    ):
        handle.write(payload)
    tmp.replace(output)


class Command(BaseCommand):
    help = (
        "Build directory/data/territories.json.gz from an unpacked "
        "@etalab/decoupage-administratif npm package (run `npm pack` and untar it first)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            required=True,
            type=Path,
            help="Folder of the unpacked package (the one holding package.json and data/).",
        )
        parser.add_argument(
            "--output", type=Path, default=DEFAULT_OUTPUT, help="Data file to write."
        )
        parser.add_argument(
            "--date",
            help="Date of the data (YYYY-MM-DD); defaults to the data files' modification date.",
        )

    def handle(self, *args, source, output, date, **options):
        if date is not None:
            try:
                date = datetime.strptime(date, "%Y-%m-%d").date().isoformat()
            except ValueError as exc:
                raise CommandError("--date must be YYYY-MM-DD.") from exc
        document = convert_package(source, date=date)
        write_data_file(document, output)
        counts = ", ".join(f"{len(document[level])} {level}" for level in FIELDS)
        self.stdout.write(
            f"{output}: {counts} from {PACKAGE_NAME} {document['source']['version']} "
            f"({document['source']['date']}), {output.stat().st_size / 1024:.0f} KiB."
        )
