"""Synthetic national data (`manage.py generate_dataset`): the steps and what they share.

Each app writes its own part in `<app>/dataset.py`, registering a step with `@step(order)`; the
command imports those modules (`autodiscover_modules("dataset")`) and runs the steps in order, so
that every app only reads what the apps below it generated (layers: README.md#layers). A step
receives a `Generation`: one seeded random generator per step (the data depend on the seed and
the day only, whatever the steps before them drew), the scale, today's date, and a progress bar.

Everything generated is fictitious: accounts on the reserved `.test` domain (`EMAIL_DOMAIN`),
invented organisation, site and street names; only commune and department names are real.
Writes are bulk inserts; signals do not run, so each step writes what the signals would have
written (search documents, site events, counters).
"""

import datetime
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

#: The domain of every generated account (reserved for tests by RFC 2606).
EMAIL_DOMAIN = "synthetique.test"
#: Every account the demo or the generator creates ends with this.
DEMO_EMAIL_SUFFIX = ".test"

_STEPS: list[tuple[int, str, Callable]] = []


def step(order: int, label: str):
    """Register `function(generation)` as a generation step, run by increasing `order`."""

    def register(function):
        if not any(existing[2] is function for existing in _STEPS):
            _STEPS.append((order, label, function))
        return function

    return register


def steps() -> list[tuple[int, str, Callable]]:
    return sorted(_STEPS, key=lambda item: item[0])


class ProgressBar:
    """A one-line text progress bar (no dependency); quiet when `stdout` is None."""

    def __init__(self, stdout, label: str, total: int, *, width: int = 30):
        self.stdout, self.label, self.total, self.width = stdout, label, max(total, 0), width
        self.done = 0
        self._last = -1
        self.interactive = bool(stdout is not None and getattr(stdout, "isatty", lambda: False)())

    def advance(self, count: int = 1) -> None:
        self.done += count
        percent = 100 if not self.total else min(100, self.done * 100 // self.total)
        if self.stdout is None or percent == self._last:
            return
        self._last = percent
        filled = self.width * percent // 100
        line = (
            f"{self.label:<24} [{'#' * filled}{'-' * (self.width - filled)}] "
            f"{percent:3d}% ({self.done}/{self.total})"
        )
        if self.interactive:
            self.stdout.write(f"\r{line}", ending="")
            self.stdout.flush()
        elif percent in (25, 50, 75, 100):
            self.stdout.write(line)

    def finish(self, summary: str) -> None:
        if self.stdout is None:
            return
        if self.interactive:
            self.stdout.write("")
        self.stdout.write(f"{self.label:<24} {summary}")


@dataclass
class Generation:
    """What every step shares: the scale, the seed, the reference date, the output."""

    scale: float
    seed: int
    stdout: object = None
    today: datetime.date = field(default_factory=timezone.localdate)
    counts: dict[str, int] = field(default_factory=dict)
    #: (department, weight, [(commune, weight)]): where the sites are (the directory step)
    departments: list = field(default_factory=list)
    #: the generated sites (the sites step), and their revisions, oldest first, by site pk
    sites: list = field(default_factory=list)
    revisions: dict = field(default_factory=dict)
    #: the generated journal messages (the journal step)
    entries: list = field(default_factory=list)

    def rng(self, name: str) -> random.Random:
        """A generator for one step, seeded by the seed and the step's name only."""
        digest = hashlib.sha256(f"{self.seed}:{name}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 (not security)

    def scaled(self, national: int, *, minimum: int = 1) -> int:
        """`national` (the figure at scale 1) at this scale, never below `minimum`."""
        return max(minimum, round(national * self.scale))

    def progress(self, label: str, total: int) -> ProgressBar:
        return ProgressBar(self.stdout, label, total)

    def moment(self, days_ago: float, rng: random.Random | None = None) -> datetime.datetime:
        """An aware datetime `days_ago` days before today's noon, at a working hour."""
        noon = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time(12)))
        minutes = (rng.randint(-180, 300) if rng else 0) + int(days_ago * 24 * 60)
        return noon - datetime.timedelta(minutes=minutes)

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def record(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count


def weighted_counts(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split `total` into len(weights) integers proportional to `weights` (summing to total)."""
    if not weights:
        return []
    whole = sum(weights)
    counts = [int(total * weight / whole) for weight in weights]
    for index in rng.sample(range(len(weights)), k=len(weights))[: total - sum(counts)]:
        counts[index] += 1
    return counts


def update_rows(model, objects: list, fields: list[str], *, batch_size: int = 2000) -> None:
    """`bulk_update` in one `UPDATE … FROM (VALUES …)` per batch (Django's bulk_update builds a
    CASE per field and row, slow at this size). Values go through each field's
    `get_db_prep_save`, cast to the column's type."""
    if not objects:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    table, pk = meta.db_table, meta.pk.column
    assignments = ", ".join(f'"{f.column}" = v."{f.column}"' for f in columns)
    names = ", ".join([f'"{pk}"', *(f'"{f.column}"' for f in columns)])
    row = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in [meta.pk, *columns]) + ")"
    for start in range(0, len(objects), batch_size):
        batch = objects[start : start + batch_size]
        params, rows = [], []
        for obj in batch:
            params.append(obj.pk)
            params += [
                f.get_db_prep_save(getattr(obj, f.attname), connection=connection) for f in columns
            ]
            rows.append(row)
        sql = (
            f'UPDATE "{table}" SET {assignments} FROM (VALUES {", ".join(rows)}) '  # noqa: S608
            f'AS v({names}) WHERE "{table}"."{pk}" = v."{pk}"'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
