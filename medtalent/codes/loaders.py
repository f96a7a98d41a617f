"""Load the shipped code tables (medtalent/codes/data/tables.yaml and its CSV files) into CodeTable and Code.

Idempotent and fast: per run it reads the existing rows once, bulk-creates what is missing, bulk-updates
what differs, and sets `parent` and `successor` afterwards; a second run writes nothing. Rows that are no
longer in the data are left alone (other records may point at them).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtalent.codes.models import Code, CodeTable
from medtalent.codes.selectors import clear_code_caches
from medtalent.core.seeding import SeedReport, read_yaml

DATA_DIR = Path(__file__).resolve().parent / "data"

TABLE_FIELDS = ("standard", "version", "name_zh", "name_en", "source")
CODE_FIELDS = ("name_zh", "name_en", "level", "sort", "valid_from", "valid_to", "extra")
CSV_COLUMNS = {"code", "name_zh", "name_en", "parent", "level", "valid_from", "valid_to", "successor", "extra"}
BATCH = 500


@dataclass
class CodeRow:
    code: str
    values: dict[str, Any]
    parent: str = ""
    successor: str = ""


@dataclass
class TableData:
    slug: str
    values: dict[str, str]
    rows: list[CodeRow] = field(default_factory=list)


def _convert(kind: str, text: str) -> Any:
    if kind == "int":
        return int(text)
    if kind == "bool":
        if text.lower() not in {"true", "false", "1", "0", "yes", "no"}:
            raise ValueError(f"not a boolean: {text!r}")
        return text.lower() in {"true", "1", "yes"}
    if kind == "list":
        return [item for item in text.split("|") if item]
    return text


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def read_tables(data_dir: Path = DATA_DIR) -> list[TableData]:
    """The tables and their rows as the data files describe them, validated."""
    spec = read_yaml(data_dir / "tables.yaml")
    tables = []
    for entry in spec["tables"]:
        extra_types: dict[str, str] = entry.get("extra") or {}
        table = TableData(slug=entry["slug"], values={f: str(entry.get(f) or "") for f in TABLE_FIELDS})
        seen: set[str] = set()
        for sort, raw in enumerate(_csv_rows(data_dir / entry["file"]), start=1):
            unknown = set(raw) - CSV_COLUMNS - set(extra_types)
            if unknown:
                raise ValueError(f"{entry['file']}: unknown columns {sorted(unknown)}")
            code = raw["code"].strip()
            if not code or code in seen:
                raise ValueError(f"{entry['file']} row {sort}: empty or repeated code {code!r}")
            seen.add(code)
            extra = json.loads(raw["extra"]) if raw.get("extra") else {}
            for column, kind in extra_types.items():
                text = (raw.get(column) or "").strip()
                if text:
                    extra[column] = _convert(kind, text)
            parent = (raw.get("parent") or "").strip()
            level = int(raw["level"]) if raw.get("level") else (2 if parent else 1)
            values = {
                "name_zh": raw["name_zh"].strip(),
                "name_en": (raw.get("name_en") or "").strip(),
                "level": level,
                "sort": sort,
                "valid_from": _date((raw.get("valid_from") or "").strip()),
                "valid_to": _date((raw.get("valid_to") or "").strip()),
                "extra": extra,
            }
            table.rows.append(
                CodeRow(code=code, values=values, parent=parent, successor=(raw.get("successor") or "").strip())
            )
        for row in table.rows:
            for ref in (row.parent, row.successor):
                if ref and ref not in seen:
                    raise ValueError(f"{entry['file']}: {row.code} refers to unknown code {ref}")
        tables.append(table)
    return tables


def load_code_tables(report: SeedReport) -> None:
    tables = read_tables()
    table_objs = _sync_tables(tables, report)

    existing: dict[tuple[int, str], Code] = {
        (c.table_id, c.code): c for c in Code.objects.filter(table__in=list(table_objs.values()))
    }
    created = updated = unchanged = 0
    changed: dict[int, Code] = {}
    missing: list[tuple[CodeTable, CodeRow]] = []
    for table in tables:
        table_obj = table_objs[table.slug]
        for row in table.rows:
            obj = existing.get((table_obj.pk, row.code))
            if obj is None:
                missing.append((table_obj, row))
                continue
            differs = False
            for name, wanted in row.values.items():
                if getattr(obj, name) != wanted:
                    setattr(obj, name, wanted)
                    differs = True
            if differs:
                changed[obj.pk] = obj

    # Create parents before children: a parent's level is always lower, so create level by level.
    for level in sorted({row.values["level"] for _, row in missing}):
        batch = []
        for table_obj, row in missing:
            if row.values["level"] != level:
                continue
            parent = existing.get((table_obj.pk, row.parent)) if row.parent else None
            batch.append(Code(table=table_obj, code=row.code, parent=parent, **row.values))
        Code.objects.bulk_create(batch, batch_size=BATCH)
        if batch and batch[0].pk is None:  # backends that cannot return ids from a bulk insert
            rows = Code.objects.filter(table__in=list(table_objs.values()), level=level)
            ids = {(t, c): pk for t, c, pk in rows.values_list("table_id", "code", "id")}
            for obj in batch:
                obj.pk = ids[(obj.table_id, obj.code)]
        for obj in batch:
            existing[(obj.table_id, obj.code)] = obj
        created += len(batch)

    new_pks = {existing[(t.pk, r.code)].pk for t, r in missing}
    fk_changed: dict[int, Code] = {}
    for table in tables:
        table_obj = table_objs[table.slug]
        for row in table.rows:
            obj = existing[(table_obj.pk, row.code)]
            parent_id = existing[(table_obj.pk, row.parent)].pk if row.parent else None
            successor_id = existing[(table_obj.pk, row.successor)].pk if row.successor else None
            if obj.parent_id != parent_id or obj.successor_id != successor_id:
                obj.parent_id, obj.successor_id = parent_id, successor_id
                fk_changed[obj.pk] = obj

    if changed:
        Code.objects.bulk_update(list(changed.values()), CODE_FIELDS, batch_size=BATCH)
    if fk_changed:
        Code.objects.bulk_update(list(fk_changed.values()), ["parent", "successor"], batch_size=BATCH)

    updated = len((set(changed) | set(fk_changed)) - new_pks)
    unchanged = sum(len(t.rows) for t in tables) - created - updated
    label = Code._meta.label
    report.created[label] += created
    report.updated[label] += updated
    report.unchanged[label] += unchanged

    if created or updated:
        clear_code_caches()


def _sync_tables(tables: list[TableData], report: SeedReport) -> dict[str, CodeTable]:
    current = {t.slug: t for t in CodeTable.objects.filter(slug__in=[t.slug for t in tables])}
    result = {}
    for table in tables:
        obj = current.get(table.slug)
        if obj is None:
            obj = CodeTable.objects.create(slug=table.slug, **table.values)
            report.count(CodeTable, "created")
        else:
            differing = [f for f, v in table.values.items() if getattr(obj, f) != v]
            if differing:
                for name in differing:
                    setattr(obj, name, table.values[name])
                obj.save(update_fields=differing)
                report.count(CodeTable, "updated")
            else:
                report.count(CodeTable, "unchanged")
        result[table.slug] = obj
    return result
