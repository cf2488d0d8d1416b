"""Load the reference territories (regions, departments, EPCI, communes) into the database.

Idempotent upsert of `directory/data/territories.json.gz` (built by `build_territories_data`):
new territories are created, existing ones updated (name, parents, population, postal codes).
Territories missing from the file are kept, since intervention areas and access requests may
point to them; the command reports how many there are.
"""

import gzip
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction

from directory.management.commands.build_territories_data import (
    DEFAULT_OUTPUT,
    FIELDS,
    FORMAT_VERSION,
)
from directory.models import Commune, Department, Epci, Region, normalize_name

BATCH_SIZE = 5000

# Data file key → model, in loading order (parents first), and the fields each row sets.
LEVELS = (
    ("regions", Region, ["name"]),
    ("departments", Department, ["name", "region_id"]),
    ("epci", Epci, ["name"]),
    ("communes", Commune, ["name", "department_id", "epci_id", "population", "postal_codes"]),
)

# (rows, parent rows, index of the parent code in a row); None is "no parent".
PARENTS = (
    ("departments", "regions", 2),
    ("communes", "departments", 2),
    ("communes", "epci", 3),
)


def read_data_file(path: Path) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    except FileNotFoundError as exc:
        raise CommandError(f"{path} does not exist.") from exc
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path} is not a gzip JSON territories file: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT_VERSION:
        raise CommandError(f"{path} is not a territories file of format {FORMAT_VERSION}.")
    for key, expected in FIELDS.items():
        if document.get("fields", {}).get(key) != expected or not isinstance(
            document.get(key), list
        ):
            raise CommandError(f"{path}: unexpected layout for {key!r}.")
        codes = [row[0] if isinstance(row, list) and row else None for row in document[key]]
        if None in codes or len(set(codes)) != len(codes):
            raise CommandError(f"{path}: {key} rows must be lists with distinct codes first.")
    # The file is self-contained: every parent it names is in it.
    for key, parent_key, index in PARENTS:
        known = {row[0] for row in document[parent_key]}
        unknown = {row[index] for row in document[key]} - known - {None}
        if unknown:
            raise CommandError(f"{path}: {key} point to unknown {parent_key}: {sorted(unknown)}")
    return document


def upsert(model, attnames: list[str], rows: list[list]) -> int:
    """Insert or update every row (code first, then `attnames`); bulk_create skips save(), so
    `search_name` is computed here."""
    objects = []
    for code, *values in rows:
        obj = model(code=code, **dict(zip(attnames, values, strict=True)))
        obj.search_name = normalize_name(obj.name)
        objects.append(obj)
    model.objects.bulk_create(
        objects,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[*attnames, "search_name"],
    )
    return len(objects)


def load_territories(path: Path = DEFAULT_OUTPUT) -> dict[str, dict[str, int]]:
    """Upsert the file's territories in one transaction; return, per level, how many rows the
    file holds and how many rows of the database the file does not mention (kept)."""
    document = read_data_file(path)
    counts = {}
    with transaction.atomic():
        for key, model, attnames in LEVELS:
            try:
                loaded = upsert(model, attnames, document[key])
            except (TypeError, ValueError, IntegrityError) as exc:
                raise CommandError(f"{path}: cannot load {key}: {exc}") from exc
            # Every code of the file is now in the database (codes are unique in the file).
            counts[key] = {"loaded": loaded, "not_in_file": model.objects.count() - loaded}
        try:
            connection.check_constraints()  # foreign keys are deferred: check them here
        except IntegrityError as exc:
            raise CommandError(f"{path}: {exc}") from exc
    return counts


class Command(BaseCommand):
    help = "Create or update the reference territories from the committed data file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_OUTPUT,
            help="Territories file to load (default: directory/data/territories.json.gz).",
        )

    def handle(self, *args, file, **options):
        started = time.monotonic()
        counts = load_territories(file)
        duration = time.monotonic() - started
        for key, level_counts in counts.items():
            line = f"{key}: {level_counts['loaded']}"
            if level_counts["not_in_file"]:
                line += f" ({level_counts['not_in_file']} in the database but not in the file)"
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Territories loaded in {duration:.1f} s."))
