"""Idempotent loading of shipped data: create what is missing, update what differs, count both.

Loaders call `upsert` and `sync_m2m` with a `SeedReport`; a second run of `load_seeds` finds every row
unchanged and says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import models


class SeedDataError(ValueError):
    """The shipped seed data is wrong (a broken reference, a duplicate key): fix the data file."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    created_rows: set[tuple[str, object]] = field(default_factory=set)

    def count(self, model: type[models.Model], outcome: str) -> None:
        getattr(self, outcome)[model._meta.label] += 1

    def was_created(self, obj: models.Model) -> bool:
        return (obj._meta.label, obj.pk) in self.created_rows

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        labels = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{label}: {self.created[label]} created, {self.updated[label]} updated, {self.unchanged[label]} unchanged"
            for label in labels
        ]


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
        return obj
    changed = [name for name, wanted in values.items() if _differs(getattr(obj, name), wanted)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=[model._meta.get_field(n).name for n in changed])
        report.count(model, "updated")
    else:
        report.count(model, "unchanged")
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
        return obj
    changed = [name for name, wanted in values.items() if _differs(getattr(obj, name), wanted)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.count(model, "updated")
    else:
        report.count(model, "unchanged")
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
