"""Backup and restore: the database and the uploaded files in ONE dated archive, with a manifest.

`backup_create` writes `medtalent-backup-YYYYMMDD-HHMMSS.tar.gz` (local time, settings.TIME_ZONE) holding

- the database: `database.sqlite3` (SQLite's online backup API, from the live connection) or
  `database.pgdump` (`pg_dump --format=custom`, connection settings in PG* environment variables only);
- every file under MEDIA_ROOT as `media/<path>`, when the default storage is a FileSystemStorage (files in an
  object store are backed up by the object store);
- `manifest.json`: format version, creation time, vendor, the latest applied migration per app, the row count
  of every model table and of `django_migrations`, and the SHA-256 of every other file of the archive.

The counts and the migration state come from the same snapshot as the dump: the SQLite copy itself, or a
PostgreSQL transaction whose snapshot `pg_dump --snapshot` reuses. So a backup taken while people work still
restores to exactly the counts in its manifest.

`backup_restore` checks the whole archive first (readable, safe member names, manifest present and known,
same vendor, every hash right), then refuses a database that is not empty (see `tables_with_rows`) and an
uploaded file that would overwrite a different one. Only then it writes: the database (SQLite backup API
into the live connection; `pg_restore --clean --if-exists --single-transaction`), then the files into
MEDIA_ROOT, and finally compares every table's row count with the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.connection import ConnectionDoesNotExist
from django.utils.module_loading import import_string

FORMAT = "medtalent-backup"
FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = frozenset({1})
ARCHIVE_PREFIX = "medtalent-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"
DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MIGRATIONS_TABLE = "django_migrations"
# `migrate` fills these by itself (post_migrate): a database holding rows only here has no data of anyone's.
TABLES_FILLED_BY_MIGRATE = frozenset({MIGRATIONS_TABLE, "django_content_type", "auth_permission"})
POSTGRESQL_CLIENT_PACKAGE = "postgresql-client"
_PG_SETTINGS_ENVIRONMENT = (
    ("HOST", "PGHOST"),
    ("PORT", "PGPORT"),
    ("USER", "PGUSER"),
    ("PASSWORD", "PGPASSWORD"),
    ("NAME", "PGDATABASE"),
)
_PG_OPTIONS_ENVIRONMENT = (
    ("sslmode", "PGSSLMODE"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("passfile", "PGPASSFILE"),
    ("service", "PGSERVICE"),
)
_CHUNK = 1024 * 1024

Manifest = dict[str, Any]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: Manifest
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    counts: dict[str, int]
    files_copied: int
    files_unchanged: int
    notes: list[str] = field(default_factory=list)


# --- what is counted --------------------------------------------------------------------------------------


def counted_tables() -> list[str]:
    """Every table the manifest counts: each concrete model's (m2m tables included) and `django_migrations`."""
    tables = {MIGRATIONS_TABLE}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return sorted(tables)


def table_counts(*, using: str = DEFAULT_DB_ALIAS, tables: Iterable[str] | None = None) -> dict[str, int]:
    """Rows per table of `tables` (default: `counted_tables()`) that exists in the database `using`.

    A table that does not exist (not migrated yet, or dropped since) is left out of the answer.
    """
    connection = _connection(using)
    wanted = counted_tables() if tables is None else sorted(tables)
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        return _count_rows(cursor, tables=[t for t in wanted if t in existing])


def tables_with_rows(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """The tables that make a database not empty: counted tables with rows, except those `migrate` fills itself.

    A database is empty when it has no tables at all, or only tables that hold no rows but for
    `django_migrations`, `django_content_type` and `auth_permission` (a freshly migrated database).
    """
    return {
        table: count
        for table, count in table_counts(using=using).items()
        if count and table not in TABLES_FILLED_BY_MIGRATE
    }


def _count_rows(cursor: Any, *, tables: Iterable[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _migration_state(cursor: Any, *, tables: set[str]) -> dict[str, str]:
    """The latest applied migration of each app (the last one recorded), by app label."""
    if MIGRATIONS_TABLE not in tables:
        return {}
    cursor.execute(f"SELECT app, name FROM {_quote(MIGRATIONS_TABLE)} ORDER BY id")
    return dict(cursor.fetchall())  # in the order applied: each app's last row wins


def _quote(identifier: str) -> str:
    """A SQL identifier in double quotes (standard SQL, read by SQLite and PostgreSQL alike)."""
    return '"' + identifier.replace('"', '""') + '"'


# --- uploaded files ---------------------------------------------------------------------------------------


def media_on_filesystem() -> bool:
    """Whether the default storage keeps files under MEDIA_ROOT (a FileSystemStorage or a subclass)."""
    path = settings.STORAGES["default"]["BACKEND"]
    try:
        backend = import_string(path)
    except ImportError as exc:
        raise BackupError(f"The default storage backend {path} cannot be imported: {exc}") from exc
    return isinstance(backend, type) and issubclass(backend, FileSystemStorage)


def media_files(*, root: Path) -> list[Path]:
    """Every regular file under `root`, sorted; symbolic links are not followed (they may point outside)."""
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def file_sha256(*, path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- naming and printing ----------------------------------------------------------------------------------


def archive_name(*, created: datetime) -> str:
    """`medtalent-backup-YYYYMMDD-HHMMSS.tar.gz`, the time in settings.TIME_ZONE."""
    local = timezone.localtime(created, timezone.get_default_timezone())
    return f"{ARCHIVE_PREFIX}{local:%Y%m%d-%H%M%S}{ARCHIVE_SUFFIX}"


def default_backup_dir() -> Path:
    return Path(settings.BASE_DIR) / "var" / "backups"


def format_size(*, size: int) -> str:
    """Bytes for a person: `812 bytes`, `1.4 MB`."""
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    return f"{value:.1f} {unit}"


def count_lines(*, manifest: Manifest) -> list[str]:
    """The row counts of a manifest for an operator: one line per table with rows, then the totals."""
    tables: dict[str, int] = manifest["tables"]
    media = [name for name in manifest["files"] if name.startswith(f"{MEDIA_DIR}/")]
    lines = [f"  {table}: {count}" for table, count in sorted(tables.items()) if count]
    empty = sum(1 for count in tables.values() if not count)
    lines.append(
        f"{len(tables)} tables ({empty} of them empty), {sum(tables.values())} rows; {len(media)} uploaded files"
    )
    return lines


# --- backup -----------------------------------------------------------------------------------------------


def backup_create(*, output_dir: Path, using: str = DEFAULT_DB_ALIAS, now: datetime | None = None) -> BackupResult:
    """Write one archive with the database `using`, the files under MEDIA_ROOT and the manifest.

    The archive appears under its final name only once complete (it is written as `<name>.partial`).
    """
    connection = _connection(using)
    dump_name = _dump_name(vendor=connection.vendor)
    created = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    output_dir = Path(output_dir)
    path = output_dir / archive_name(created=created)
    if path.exists():
        raise BackupError(f"{path} already exists; wait a second or choose another --output directory.")

    notes: list[str] = []
    include_media = media_on_filesystem()
    media_root = Path(settings.MEDIA_ROOT)
    if include_media and output_dir.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(
            f"The output directory {output_dir} lies inside MEDIA_ROOT ({media_root}): each backup would hold the "
            "ones before it. Choose another --output directory."
        )
    if not include_media:
        notes.append(
            f"The default storage ({settings.STORAGES['default']['BACKEND']}) is not on this filesystem: files in "
            "an object store are backed up by the object store (versioning, replication). This archive holds "
            "only the database."
        )
    media = media_files(root=media_root) if include_media else []
    links = [p for p in media_root.rglob("*") if p.is_symlink()] if include_media and media_root.is_dir() else []
    if links:
        notes.append(f"{len(links)} symbolic links under {media_root} were not followed nor archived.")

    output_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    # The dump is staged next to the archive, on the same disk, not in a small /tmp.
    with tempfile.TemporaryDirectory(prefix=".medtalent-backup-", dir=output_dir) as staging:
        dump_path = Path(staging) / dump_name
        counts, migrations = _database_dump(connection=connection, path=dump_path)
        try:
            with tarfile.open(partial, "w:gz") as tar:
                files = {dump_name: _tar_add_file(tar, source=dump_path, name=dump_name)}
                for source in media:
                    name = f"{MEDIA_DIR}/{source.relative_to(media_root).as_posix()}"
                    files[name] = _tar_add_file(tar, source=source, name=name)
                manifest: Manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": created.isoformat(),
                    "django_version": django.get_version(),
                    "database": {"vendor": connection.vendor, "file": dump_name},
                    "media": {
                        "included": include_media,
                        "storage": settings.STORAGES["default"]["BACKEND"],
                    },
                    "migrations": migrations,
                    "tables": counts,
                    "files": files,
                }
                payload = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode()
                _tar_add_bytes(tar, name=MANIFEST_NAME, data=payload, mtime=created.timestamp())
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=path, size=path.stat().st_size, manifest=manifest, notes=notes)


def _database_dump(*, connection: BaseDatabaseWrapper, path: Path) -> tuple[dict[str, int], dict[str, str]]:
    if connection.vendor == "sqlite":
        return _sqlite_dump(connection=connection, path=path)
    return _postgresql_dump(connection=connection, path=path)


def _sqlite_dump(*, connection: BaseDatabaseWrapper, path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Copy the live database page by page (works for an in-memory database), then count in the copy."""
    _refuse_open_transaction(connection=connection, action="back up")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever the source's mode
        cursor = target.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        existing = {row[0] for row in cursor.fetchall()}
        counts = _count_rows(cursor, tables=[t for t in counted_tables() if t in existing])
        migrations = _migration_state(cursor, tables=existing)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy the database: {exc}") from exc
    finally:
        target.close()
    return counts, migrations


def _postgresql_dump(*, connection: BaseDatabaseWrapper, path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """`pg_dump` inside a snapshot exported by a REPEATABLE READ transaction that also counts the rows."""
    pg_dump = postgresql_client(name="pg_dump")
    # A session of its own, named apart from the configured aliases: it only holds the snapshot.
    snapshot_connection = connection.copy(alias=f"{connection.alias}:snapshot")
    try:
        with snapshot_connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={path}",
                ],
                env=postgresql_environment(settings_dict=connection.settings_dict, base=os.environ),
            )
            existing = set(snapshot_connection.introspection.table_names(cursor))
            counts = _count_rows(cursor, tables=[t for t in counted_tables() if t in existing])
            migrations = _migration_state(cursor, tables=existing)
            cursor.execute("COMMIT")
    finally:
        snapshot_connection.close()
    return counts, migrations


def postgresql_client(*, name: str) -> str:
    """The path of a PostgreSQL client program (`pg_dump`, `pg_restore`), or a BackupError saying what to install."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed (or not on PATH). Install the Debian package {POSTGRESQL_CLIENT_PACKAGE} "
            f"(apt-get install {POSTGRESQL_CLIENT_PACKAGE}), with a major version at least the server's."
        )
    return path


def postgresql_environment(*, settings_dict: Mapping[str, Any], base: Mapping[str, str]) -> dict[str, str]:
    """`base` plus the connection settings as libpq variables (PGHOST …), so none appears on a command line.

    An empty setting leaves libpq's own default (or a variable already in `base`), as Django's connection does.
    """
    env = dict(base)
    for key, variable in _PG_SETTINGS_ENVIRONMENT:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key, variable in _PG_OPTIONS_ENVIRONMENT:
        if options.get(key):
            env[variable] = str(options[key])
    return env


def _run(args: list[str], *, env: Mapping[str, str]) -> None:
    program = Path(args[0]).name
    try:
        completed = subprocess.run(args, env=dict(env), capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupError(f"{program} could not be started: {exc}") from exc
    if completed.returncode != 0:
        raise BackupError(f"{program} failed (exit status {completed.returncode}): {completed.stderr.strip()}")


class _HashingReader:
    """A file object that hashes what tarfile reads from it, so the hash is of the bytes archived."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.digest.update(data)
        return data


def _tar_add_file(tar: tarfile.TarFile, *, source: Path, name: str) -> dict[str, Any]:
    stat = source.stat()
    info = tarfile.TarInfo(name)
    info.size = stat.st_size
    info.mtime = int(stat.st_mtime)
    info.mode = 0o644
    with source.open("rb") as raw:
        reader = _HashingReader(raw)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _tar_add_bytes(tar: tarfile.TarFile, *, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


# --- restore ----------------------------------------------------------------------------------------------


def archive_unpack(*, archive: Path, into: Path, vendor: str) -> Manifest:
    """Check an archive and unpack it into the empty directory `into`; the manifest, or a BackupError.

    Checked: a readable .tar.gz; only regular files under safe relative names (no absolute path, no `..`);
    a manifest of a known format version for the database `vendor`; exactly the files it lists, each with its
    SHA-256. Nothing outside `into` is written.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file. Nothing was restored.")
    with contextlib.ExitStack() as stack:
        try:
            tar = stack.enter_context(tarfile.open(archive, "r:gz"))
            members = tar.getmembers()
        except (tarfile.TarError, EOFError, OSError) as exc:  # gzip's BadGzipFile is an OSError
            raise BackupError(f"{archive} is not a readable .tar.gz archive. Nothing was restored.") from exc
        _check_members(members, archive=archive)
        manifest = _read_manifest(tar, members=members, archive=archive)
        _check_manifest(manifest, members=members, archive=archive, vendor=vendor)
        try:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: the extraction filter refuses anything unsafe
                tar.extractall(into, members=members, filter="data")
            else:  # pragma: no cover - older 3.11: the members were checked above, all regular files
                tar.extractall(into, members=members)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupError(f"{archive} could not be unpacked into {into}: {exc}. Nothing was restored.") from exc
    for name, entry in manifest["files"].items():
        actual = file_sha256(path=into / name)
        if actual != entry["sha256"]:
            raise BackupError(
                f"The archive {archive} is damaged: {name} has SHA-256 {actual}, the manifest says "
                f"{entry['sha256']}. Nothing was restored."
            )
    return manifest


def _check_members(members: list[tarfile.TarInfo], *, archive: Path) -> None:
    for member in members:
        name = member.name
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or not parts:
            raise BackupError(f"The archive {archive} holds an unsafe member name {name!r}. Nothing was restored.")
        if not (member.isfile() or member.isdir()):
            raise BackupError(
                f"The archive {archive} holds {name!r}, which is not a regular file (a link or a device). "
                "Nothing was restored."
            )


def _read_manifest(tar: tarfile.TarFile, *, members: list[tarfile.TarInfo], archive: Path) -> Manifest:
    member = next((m for m in members if m.isfile() and PurePosixPath(m.name) == PurePosixPath(MANIFEST_NAME)), None)
    if member is None:
        raise BackupError(
            f"The archive {archive} has no {MANIFEST_NAME}: it is not a MedTalent backup. Nothing was restored."
        )
    handle = tar.extractfile(member)
    try:
        manifest = json.loads(handle.read().decode()) if handle else None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"The {MANIFEST_NAME} of {archive} is not valid JSON ({exc}). Nothing was restored.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"The {MANIFEST_NAME} of {archive} is not a MedTalent backup manifest. Nothing was restored.")
    return manifest


def _check_manifest(manifest: Manifest, *, members: list[tarfile.TarInfo], archive: Path, vendor: str) -> None:
    version = manifest.get("format_version")
    if version not in SUPPORTED_FORMAT_VERSIONS:
        known = ", ".join(str(v) for v in sorted(SUPPORTED_FORMAT_VERSIONS))
        raise BackupError(
            f"The archive {archive} has format version {version!r}; this MedTalent reads version {known}. "
            "Restore it with the MedTalent release that wrote it. Nothing was restored."
        )
    try:
        archived_vendor = manifest["database"]["vendor"]
        dump_name = manifest["database"]["file"]
        files: dict[str, dict[str, Any]] = manifest["files"]
        tables: dict[str, int] = manifest["tables"]
        media_ok = isinstance(manifest["media"].get("included"), bool)
        hashes_ok = all(isinstance(entry.get("sha256"), str) for entry in files.values())
        counts_ok = all(isinstance(count, int) for count in tables.values())
    except (KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"The {MANIFEST_NAME} of {archive} is incomplete ({exc!r}). Nothing was restored.") from exc
    if not (media_ok and hashes_ok and counts_ok) or DUMP_FILES.get(archived_vendor) != dump_name:
        raise BackupError(f"The {MANIFEST_NAME} of {archive} is malformed. Nothing was restored.")
    if archived_vendor != vendor:
        raise BackupError(
            f"The archive {archive} holds a {archived_vendor} database, but the target database is {vendor}. "
            f"Restore it into a {archived_vendor} database. Nothing was restored."
        )
    archived = {str(PurePosixPath(m.name)) for m in members if m.isfile()} - {MANIFEST_NAME}
    missing = sorted(set(files) - archived)
    if missing:
        raise BackupError(
            f"The archive {archive} is damaged: {missing[0]} is in the manifest but missing. Nothing was restored."
        )
    unlisted = sorted(archived - set(files))
    if unlisted:
        raise BackupError(
            f"The archive {archive} holds {unlisted[0]}, which its manifest does not list. Nothing was restored."
        )
    if dump_name not in files:
        raise BackupError(f"The archive {archive} has no database file {dump_name}. Nothing was restored.")


def backup_restore(
    *,
    archive: Path,
    using: str = DEFAULT_DB_ALIAS,
    confirm: Callable[[Manifest], bool] | None = None,
) -> RestoreResult:
    """Restore an archive into the empty database `using` and MEDIA_ROOT, then check the row counts.

    Refused before anything is written when the archive fails a check (`archive_unpack`), when the database is
    not empty (`tables_with_rows`), when a file in MEDIA_ROOT would be overwritten by a different one, or
    when `confirm` (called with the checked manifest) answers False.
    """
    connection = _connection(using)
    media_root = Path(settings.MEDIA_ROOT)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="medtalent-restore-") as unpacked:
        workdir = Path(unpacked)
        manifest = archive_unpack(archive=archive, into=workdir, vendor=connection.vendor)
        occupied = tables_with_rows(using=using)
        if occupied:
            table = min(occupied)
            others = len(occupied) - 1
            raise BackupError(
                f"The database {using!r} is not empty: table {table} has {occupied[table]} rows"
                + (f" (and {others} other tables have rows)" if others else "")
                + ". Restore only into an empty database (a new PostgreSQL database from createdb, or a new "
                "SQLite file; running `migrate` in it first is fine). Nothing was restored."
            )
        to_copy, unchanged = _media_plan(manifest=manifest, workdir=workdir, media_root=media_root)
        _refuse_open_transaction(connection=connection, action="restore into")
        if confirm is not None and not confirm(manifest):
            raise BackupError("Restore cancelled. Nothing was restored.")

        _database_restore(connection=connection, dump=workdir / manifest["database"]["file"])
        for source, target in to_copy:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    if to_copy and not media_on_filesystem():
        notes.append(
            f"The default storage ({settings.STORAGES['default']['BACKEND']}) is not on this filesystem: the files "
            f"were copied into {media_root}; upload them to the object store."
        )
    if not manifest["media"]["included"]:
        notes.append("This archive holds no uploaded files (they were in an object store): restore those there.")

    counts = table_counts(using=using, tables=manifest["tables"])
    for table, expected in sorted(manifest["tables"].items()):
        if counts.get(table) != expected:
            found = "is missing" if table not in counts else f"has {counts[table]} rows"
            raise BackupError(
                f"After the restore, table {table} {found}, but the manifest says {expected} rows. The database "
                f"{using!r} does not match the backup: do not use it; restore again into a new empty database."
            )
    return RestoreResult(
        manifest=manifest,
        counts={table: counts[table] for table in manifest["tables"]},
        files_copied=len(to_copy),
        files_unchanged=unchanged,
        notes=notes,
    )


def _media_plan(*, manifest: Manifest, workdir: Path, media_root: Path) -> tuple[list[tuple[Path, Path]], int]:
    """The files to copy into MEDIA_ROOT, and how many are there already; refuses to overwrite a different file."""
    to_copy = []
    unchanged = 0
    for name, entry in sorted(manifest["files"].items()):
        if not name.startswith(f"{MEDIA_DIR}/"):
            continue
        target = media_root / PurePosixPath(name).relative_to(MEDIA_DIR)
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise BackupError(f"{target} exists and is not a regular file. Nothing was restored.")
        if target.exists():
            if file_sha256(path=target) != entry["sha256"]:
                raise BackupError(
                    f"{target} already exists with other contents than the archived file. Move it away (or "
                    "restore into an empty MEDIA_ROOT). Nothing was restored."
                )
            unchanged += 1
            continue
        to_copy.append((workdir / name, target))
    return to_copy, unchanged


def _database_restore(*, connection: BaseDatabaseWrapper, dump: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        except sqlite3.Error as exc:
            raise BackupError(f"SQLite could not restore the database: {exc}") from exc
        finally:
            source.close()
        return
    pg_restore = postgresql_client(name="pg_restore")
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env=postgresql_environment(settings_dict=connection.settings_dict, base=os.environ),
    )


# --- shared -----------------------------------------------------------------------------------------------


def _connection(using: str) -> BaseDatabaseWrapper:
    try:
        return connections[using]
    except ConnectionDoesNotExist as exc:
        raise BackupError(f"There is no database {using!r} in settings.DATABASES.") from exc


def _dump_name(*, vendor: str) -> str:
    if vendor not in DUMP_FILES:
        raise BackupError(f"Backups of {vendor} databases are not supported: only SQLite and PostgreSQL.")
    return DUMP_FILES[vendor]


def _refuse_open_transaction(*, connection: BaseDatabaseWrapper, action: str) -> None:
    """SQLite's backup API waits for ever on a transaction of its own connection; pg_restore would wait on its
    locks. Management commands run outside one; this guards callers that do not."""
    if connection.in_atomic_block or not connection.get_autocommit():
        raise BackupError(
            f"Cannot {action} the database {connection.alias!r} from inside a transaction: run it on its own "
            "(outside transaction.atomic). Nothing was written."
        )
