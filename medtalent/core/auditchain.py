"""The audit trail's hash chain and its database guard (see docs/security/audit.md).

Every `AuditEvent` carries `prev_hash` (the `hash` of the event before it, by id; `GENESIS` for the first) and
`hash` = SHA-256 over `prev_hash`, a newline and the canonical JSON of its own fields (`canonical`). Writers are
serialised so two of them never chain onto the same predecessor: on PostgreSQL by a transaction-scoped advisory
lock taken in the same round trip that reads the head; on SQLite every transaction is `BEGIN IMMEDIATE`
(settings.py), which holds the database's write lock from its start.

The table is append-only in the database too: a trigger refuses UPDATE and DELETE (`TRIGGER_SQL`, installed by
the migration `core.0004`). On SQLite a DELETE is let through only while the table `core_auditevent_unlock`
holds a row: the documented way to empty a SQLite test database (Django's flush deletes row by row); PostgreSQL
has no such door (a flush there is a TRUNCATE, which fires no row trigger).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections

GENESIS = "0" * 64
TABLE = "core_auditevent"
UNLOCK_TABLE = "core_auditevent_unlock"
# pg_advisory_xact_lock's key: "MTAUDIT" as a number, so no other lock of the project collides with it.
ADVISORY_LOCK_KEY = 0x4D5441554449
# The fields the hash covers, in the canonical JSON's (sorted) order.
HASHED_FIELDS = (
    "action",
    "actor_id",
    "actor_username",
    "created_at",
    "data",
    "from_state",
    "note",
    "object_id",
    "object_type",
    "region_code",
    "to_state",
)

TRIGGER_SQL = {
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail ({TABLE}) is append-only: % refused', TG_OP;
END $$""",
        f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
        f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()""",
    ],
    "sqlite": [
        f"CREATE TABLE IF NOT EXISTS {UNLOCK_TABLE} (reason TEXT NOT NULL)",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
        f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'the audit trail ({TABLE}) is append-only: UPDATE refused'); END""",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
        f"""CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
WHEN NOT EXISTS (SELECT 1 FROM {UNLOCK_TABLE})
BEGIN SELECT RAISE(ABORT, 'the audit trail ({TABLE}) is append-only: DELETE refused'); END""",
    ],
}
DROP_TRIGGER_SQL = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
        f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
        f"DROP TABLE IF EXISTS {UNLOCK_TABLE}",
    ],
}
TRIGGER_NAMES = {
    "postgresql": (f"{TABLE}_append_only",),
    "sqlite": (f"{TABLE}_no_update", f"{TABLE}_no_delete"),
}


def install_triggers(connection) -> None:
    """Create (or re-create) the append-only triggers. A migration that rebuilds the table on SQLite (most
    AlterField operations do) drops its triggers: such a migration must call this again."""
    with connection.cursor() as cursor:
        for statement in TRIGGER_SQL.get(connection.vendor, []):
            cursor.execute(statement)


def drop_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for statement in DROP_TRIGGER_SQL.get(connection.vendor, []):
            cursor.execute(statement)


def missing_triggers(connection) -> list[str]:
    """The append-only triggers that should exist on this database but do not."""
    expected = TRIGGER_NAMES.get(connection.vendor, ())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D'", [TABLE])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]


# --- hashing ----------------------------------------------------------------------------------------------


def timestamp(value: datetime) -> str:
    """The time as hashed: UTC, microseconds, `2026-12-07T18:30:00.123456Z` (what both databases store)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def normalise_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """`data` as it reads back from a JSON column (tuples become lists, keys strings): what is hashed is what
    is stored."""
    return json.loads(json.dumps(data or {}, ensure_ascii=False))


def canonical(fields: dict[str, Any]) -> bytes:
    """The canonical serialisation of an event's hashed fields: JSON, keys sorted, no spaces, UTF-8."""
    values = {name: fields[name] for name in HASHED_FIELDS}
    values["created_at"] = timestamp(values["created_at"])
    values["object_id"] = str(values["object_id"])
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(fields)).hexdigest()


def chain_head(*, using: str) -> str:
    """Serialise the writers of the audit trail and answer the hash of its last event (`GENESIS` when empty).

    Must run inside the transaction that then inserts the event(s): on PostgreSQL the advisory lock is held
    until that transaction ends, and the head is read in a statement after the lock (a fresh snapshot), in the
    same round trip; on SQLite the transaction is IMMEDIATE and already holds the write lock."""
    connection = connections[using]
    head_sql = f"SELECT hash FROM {TABLE} ORDER BY id DESC LIMIT 1"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY}); {head_sql}")
            cursor.nextset()
        else:
            cursor.execute(head_sql)
        row = cursor.fetchone()
    return row[0] if row and row[0] else GENESIS


# --- verification -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    kind: str  # "altered" | "missing"
    event_id: int
    message: str


@dataclass(frozen=True)
class ChainReport:
    count: int
    head: str
    problem: ChainProblem | None


def walk(rows: Iterable[dict[str, Any]]) -> ChainReport:
    """Check events in id order: each one's hash must match its fields (else it was altered) and its
    prev_hash the hash of the one before (else events between them are missing). Stops at the first problem."""
    previous_hash = GENESIS
    previous_id: int | None = None
    count = 0
    for row in rows:
        count += 1
        if row["prev_hash"] != previous_hash:
            where = f"after event #{previous_id}" if previous_id is not None else "at the start of the trail"
            return ChainReport(
                count,
                previous_hash,
                ChainProblem(
                    "missing",
                    row["id"],
                    f"missing: the chain breaks before event #{row['id']}: one or more events {where} were "
                    "deleted (or this event was written outside audit_log, or an earlier one re-hashed).",
                ),
            )
        if event_hash(row["prev_hash"], row) != row["hash"]:
            return ChainReport(
                count,
                previous_hash,
                ChainProblem(
                    "altered",
                    row["id"],
                    f"altered: event #{row['id']} does not match its hash: its fields were changed after it "
                    "was written.",
                ),
            )
        previous_hash = row["hash"]
        previous_id = row["id"]
    return ChainReport(count, previous_hash, None)


def chain_rows(queryset) -> Iterator[dict[str, Any]]:
    """The fields `walk` reads, in id order, streamed in chunks (a million events fit in little memory)."""
    return queryset.order_by("id").values("id", "prev_hash", "hash", *HASHED_FIELDS).iterator(chunk_size=5000)
