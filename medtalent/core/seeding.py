"""Idempotent loading of shipped data: create what is missing, update what differs, count both.

Loaders call `upsert` and `sync_m2m` with a `SeedReport`; a second run of `load_seeds` finds every row
unchanged and says so.

Shipped values are defaults an administrator may change (a ratio, a tolerance, an age limit). The report
remembers what the seed wrote into each row (`core.SeedRecord`, saved by `save_records`): a
later run updates a row only while it still holds those values, and keeps — and reports — a row changed
since, unless `overwrite` is set (`load_seeds --overwrite`).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import models

from medtalent.core.models import SeedRecord


class SeedDataError(ValueError):
    """The shipped seed data is wrong (a broken reference, a duplicate key): fix the data file."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    created_rows: set[tuple[str, object]] = field(default_factory=set)
    kept_rows: list[str] = field(default_factory=list)
    overwrite: bool = False
    _records: dict[tuple[str, str], dict] | None = field(default=None, repr=False)
    _pending: dict[tuple[str, str], dict] = field(default_factory=dict, repr=False)

    def count(self, model: type[models.Model], outcome: str) -> None:
        getattr(self, outcome)[model._meta.label] += 1

    def recorded(self, key: tuple[str, str]) -> dict | None:
        """The values the seed last wrote into the row `key` (model label, pk), if any."""
        if self._records is None:
            self._records = {(r.model, r.object_id): r.values for r in SeedRecord.objects.all()}
        return self._pending.get(key) or self._records.get(key)

    def record(self, key: tuple[str, str], values: dict) -> None:
        if self.recorded(key) != values:
            self._pending[key] = values

    def save_records(self) -> None:
        """Store what this run wrote (one delete and one insert per 500 rows)."""
        pending = list(self._pending.items())
        for start in range(0, len(pending), 500):
            chunk = pending[start : start + 500]
            match = models.Q()
            for (label, object_id), _values in chunk:
                match |= models.Q(model=label, object_id=object_id)
            SeedRecord.objects.filter(match).delete()
            SeedRecord.objects.bulk_create(
                SeedRecord(model=label, object_id=object_id, values=values) for (label, object_id), values in chunk
            )
        if self._records is not None:
            self._records.update(self._pending)
        self._pending.clear()

    def was_created(self, obj: models.Model) -> bool:
        return (obj._meta.label, obj.pk) in self.created_rows

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        labels = sorted(set(self.created) | set(self.updated) | set(self.unchanged) | set(self.kept))
        lines = []
        for label in labels:
            line = f"{label}: {self.created[label]} created, {self.updated[label]} updated, {self.unchanged[label]} unchanged"
            if self.kept[label]:
                line += f", {self.kept[label]} kept as an administrator changed them"
            lines.append(line)
        return lines


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: a row by its key, a date in ISO form, a decimal as text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _plain_values(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _plain(value) for name, value in values.items()}


def _same(current: Any, recorded: Any) -> bool:
    if current == recorded:
        return True
    try:  # 10, "10" and Decimal("10.0") are the same number
        return decimal.Decimal(str(current)) == decimal.Decimal(str(recorded))
    except (decimal.InvalidOperation, ValueError, TypeError):
        return False


def _changed_by_administrator(obj: models.Model, recorded: dict[str, Any]) -> bool:
    """Whether the row no longer holds what the seed wrote into it (fields the seed did not write then are
    not compared)."""
    return any(not _same(_plain(getattr(obj, name)), value) for name, value in recorded.items() if hasattr(obj, name))


def _apply(model: type[models.Model], obj: models.Model, values: dict[str, Any], report: SeedReport) -> None:
    """Bring an existing row to the shipped `values`, unless an administrator changed it since the seed
    wrote it: then keep it and report it (or overwrite it when the report says so)."""
    key = (model._meta.label, str(obj.pk))
    wanted = _plain_values(values)
    changed = [name for name, value in values.items() if _differs(getattr(obj, name), value)]
    if not changed:
        report.record(key, wanted)
        report.count(model, "unchanged")
        return
    recorded = report.recorded(key)
    if not report.overwrite and recorded is not None and _changed_by_administrator(obj, recorded):
        report.count(model, "kept")
        report.kept_rows.append(f"{model._meta.label} {obj} ({', '.join(changed)})")
        return
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=[model._meta.get_field(n).name for n in changed])
    report.record(key, wanted)
    report.count(model, "updated")


def _differs(current: Any, wanted: Any) -> bool:
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        return getattr(current, "pk", current) != getattr(wanted, "pk", wanted)
    return current != wanted


def upsert(
    model: type[models.Model], *, lookup: dict[str, Any], values: dict[str, Any], report: SeedReport
) -> models.Model:
    """Get the row matching `lookup` and make its fields equal `values`; create it if missing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count(model, "created")
        report.created_rows.add((model._meta.label, obj.pk))
        report.record((model._meta.label, str(obj.pk)), _plain_values(values))
        return obj
    _apply(model, obj, values, report)
    return obj


def upsert_known(
    model: type[models.Model],
    *,
    existing: dict,
    key: Any,
    create: dict[str, Any],
    values: dict[str, Any],
    report: SeedReport,
) -> models.Model:
    """`upsert` for rows already fetched into `existing` (keyed by `key`), e.g. all the aliases at once:
    no query for an unchanged row. `create` holds the identifying fields, `values` the ones kept up to date."""
    obj = existing.get(key)
    if obj is None:
        obj = model.objects.create(**create, **values)
        existing[key] = obj
        report.count(model, "created")
        report.created_rows.add((model._meta.label, obj.pk))
        report.record((model._meta.label, str(obj.pk)), _plain_values(values))
        return obj
    _apply(model, obj, values, report)
    return obj


def sync_m2m(obj: models.Model, field_name: str, targets: Iterable[models.Model], report: SeedReport) -> None:
    """Make a many-to-many field hold exactly `targets`; counts as an update of `obj` when it changes
    (a row created in this run is already counted as created)."""
    manager = getattr(obj, field_name)
    wanted = {t.pk for t in targets}
    current = set(manager.values_list("pk", flat=True))
    if wanted != current:
        manager.set(list(wanted))
        if not report.was_created(obj):
            report.count(type(obj), "updated")


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
