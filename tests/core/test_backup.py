"""`manage.py backup` and `manage.py restore`: one archive with the database, the uploaded files and a manifest.

The suite runs once on SQLite and once on PostgreSQL; every test here uses the run's own vendor, and the
vendor-specific ones skip on the other. The archive is made ONCE per module from a scratch database of that
vendor (a new SQLite file or a `CREATE DATABASE`, migrated, plus a few factory rows), never from the test
database: SQLite's backup API cannot read a connection inside the test's transaction, and a transactional
test would flush the session's seed data for every later test. Restores go into new scratch databases too.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import secrets
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from psycopg import sql

from medtalent.codes.models import Code, CodeTable
from medtalent.core import backup
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

VENDOR = connection.vendor
OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}[VENDOR]
sqlite_only = pytest.mark.skipif(
    VENDOR != "sqlite", reason=f"SQLite only: this run's database is {VENDOR}; the SQLite run covers this"
)
postgresql_only = pytest.mark.skipif(
    VENDOR != "postgresql", reason=f"PostgreSQL only: this run's database is {VENDOR}; the PostgreSQL run covers this"
)
MEDIA = {"documents/cv.pdf": b"%PDF-1.4 a CV\n", "photos/2025/photo.png": b"\x89PNG\r\n\x1a\n a photo"}
DUMP = backup.DUMP_FILES[VENDOR]
NOTHING = "Nothing was restored."


def _pg_admin() -> psycopg.Connection:
    """An autocommit connection to the `postgres` database of the test server, for CREATE/DROP DATABASE."""
    params = connections["default"].settings_dict
    kwargs: dict[str, Any] = {"dbname": "postgres", "autocommit": True}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if params.get(key):
            kwargs[name] = str(params[key])
    return psycopg.connect(**kwargs)


@contextlib.contextmanager
def scratch_database(*, alias: str, directory: Path, name: str | None = None) -> Iterator[str]:
    """A new, empty database of this run's vendor as `alias`, dropped afterwards even when the test fails.

    SQLite: a file in `directory` (or `name`, e.g. ":memory:"); PostgreSQL: `CREATE DATABASE
    medtalent_<alias>_<random>`. The alias goes into `connections.settings` directly: overriding
    settings.DATABASES would not reach the already configured connection handler.
    """
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    pg_name = None
    if VENDOR == "sqlite":
        settings_dict["NAME"] = name or str(directory / f"{alias}.sqlite3")
    else:
        pg_name = f"medtalent_{alias}_{secrets.token_hex(4)}"
        with _pg_admin() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(pg_name)))
        settings_dict["NAME"] = pg_name
    connections.settings[alias] = settings_dict
    try:
        # Django's test case refuses to open a connection to an alias it was not told about; this one is the
        # test's own throwaway database, so connect it here, directly.
        connections[alias].connect()
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
        if pg_name:
            with _pg_admin() as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(pg_name)))


def _populate(alias: str) -> None:
    """One hospital, three people with an education code and a designation (an m2m row each)."""
    education_table = CodeTable.objects.using(alias).create(
        slug="education", name_zh="学历", standard="GB/T 4658-2006", version="2006"
    )
    designation_table = CodeTable.objects.using(alias).create(
        slug="designation", name_zh="人才称号", standard="test", version="test"
    )
    education = Code.objects.using(alias).create(table=education_table, code="21", name_zh="大学本科")
    designation = Code.objects.using(alias).create(table=designation_table, code="T1", name_zh="领军人才")
    employer = OrganisationFactory.build()
    employer.save(using=alias)
    for _ in range(3):
        person = PersonFactory.build(employer=employer, education=education, title=None)
        person.save(using=alias)
        person.designations.add(designation)


def _hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile(backup.MANIFEST_NAME))


def _rewrite(
    archive: Path,
    target: Path,
    *,
    replace: dict[str, bytes] | None = None,
    rename: dict[str, str] | None = None,
    drop: tuple[str, ...] = (),
    edit_manifest: Callable[[dict[str, Any]], None] | None = None,
    extra: tuple[tarfile.TarInfo, ...] = (),
) -> Path:
    """A copy of `archive` with members replaced, renamed, dropped or added, or the manifest edited."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy_:
        for member in source.getmembers():
            if member.name in drop:
                continue
            data = source.extractfile(member).read()
            if member.name == backup.MANIFEST_NAME and edit_manifest:
                manifest = json.loads(data)
                edit_manifest(manifest)
                data = json.dumps(manifest).encode()
            data = (replace or {}).get(member.name, data)
            info = tarfile.TarInfo((rename or {}).get(member.name, member.name))
            info.size = len(data)
            copy_.addfile(info, io.BytesIO(data))
        for info in extra:
            copy_.addfile(info, io.BytesIO(b"x" * info.size) if info.isfile() else None)
    return target


def _restore(archive: Path, *, database: str = "default") -> str:
    out = StringIO()
    call_command("restore", str(archive), "--yes", database=database, stdout=out)
    return out.getvalue()


@dataclass(frozen=True)
class Source:
    archive: Path
    counts: dict[str, int]
    media: dict[str, str]
    output: str


@pytest.fixture(scope="module")
def source(django_db_setup, django_db_blocker, tmp_path_factory) -> Source:
    """One real backup of a migrated scratch database with a few rows and two uploaded files."""
    base = tmp_path_factory.mktemp("backup-source")
    media_root = base / "media"
    for name, data in MEDIA.items():
        (media_root / name).parent.mkdir(parents=True, exist_ok=True)
        (media_root / name).write_bytes(data)
    out = StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        scratch_database(alias="backup_source", directory=base) as alias,
    ):
        call_command("migrate", database=alias, verbosity=0, stdout=StringIO())
        _populate(alias)
        counts = backup.table_counts(using=alias)
        call_command("backup", output=str(base / "backups"), database=alias, stdout=out)
    (archive,) = (base / "backups").iterdir()
    return Source(archive=archive, counts=counts, media=_hashes(media_root), output=out.getvalue())


# --- pure parts ---------------------------------------------------------------------------------------------


def test_archive_name_is_the_time_in_shanghai():
    created = datetime(2025, 1, 31, 20, 4, 5, tzinfo=UTC)

    assert backup.archive_name(created=created) == "medtalent-backup-20250201-040405.tar.gz"


def test_postgresql_settings_go_into_the_environment_not_the_command_line():
    settings_dict = {
        "HOST": "db.internal",
        "PORT": 5433,
        "USER": "medtalent",
        "PASSWORD": "s3cret",
        "NAME": "medtalent",
        "OPTIONS": {"sslmode": "require"},
    }

    env = backup.postgresql_environment(settings_dict=settings_dict, base={"PATH": "/usr/bin", "PGHOST": "old"})

    assert env == {
        "PATH": "/usr/bin",
        "PGHOST": "db.internal",
        "PGPORT": "5433",
        "PGUSER": "medtalent",
        "PGPASSWORD": "s3cret",
        "PGDATABASE": "medtalent",
        "PGSSLMODE": "require",
    }


def test_counted_tables_are_the_model_tables_and_django_migrations():
    tables = backup.counted_tables()

    assert {"django_migrations", "orgs_organisation", "people_person", "people_person_designations"} <= set(tables)
    assert tables == sorted(set(tables))


# --- backup -------------------------------------------------------------------------------------------------


def test_backup_writes_the_database_the_files_and_the_manifest(source, settings):
    with tarfile.open(source.archive) as tar:
        names = sorted(tar.getnames())
        dump_sha256 = hashlib.sha256(tar.extractfile(DUMP).read()).hexdigest()
    manifest = _manifest(source.archive)
    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()

    assert source.archive.name.startswith("medtalent-backup-")
    assert names == sorted([DUMP, "manifest.json", "media/documents/cv.pdf", "media/photos/2025/photo.png"])
    assert manifest["format"] == "medtalent-backup"
    assert manifest["format_version"] == 1
    assert manifest["created_at"].endswith("+08:00")
    assert manifest["database"] == {"vendor": VENDOR, "file": DUMP}
    assert manifest["media"] == {"included": True, "storage": settings.STORAGES["default"]["BACKEND"]}
    assert manifest["migrations"] == dict(leaves)
    assert manifest["tables"] == source.counts
    assert set(manifest["tables"]) == set(backup.counted_tables())
    assert (manifest["tables"]["orgs_organisation"], manifest["tables"]["people_person"]) == (1, 3)
    assert manifest["tables"]["people_person_designations"] == 3
    assert manifest["files"][DUMP]["sha256"] == dump_sha256
    assert {name: entry["sha256"] for name, entry in manifest["files"].items() if name != DUMP} == {
        f"media/{name}": sha256 for name, sha256 in source.media.items()
    }


def test_backup_prints_the_path_the_size_and_the_counts(source):
    size = source.archive.stat().st_size
    rows = sum(source.counts.values())
    empty = sum(1 for count in source.counts.values() if not count)

    lines = source.output.splitlines()

    assert lines[0] == f"Archive: {source.archive}"
    assert lines[1] == f"Size: {backup.format_size(size=size)} ({size} bytes)"
    assert "  people_person: 3" in lines
    assert lines[-2] == f"{len(source.counts)} tables ({empty} of them empty), {rows} rows; 2 uploaded files"
    assert lines[-1] == "Backup complete."


def test_backup_with_files_in_an_object_store_holds_only_the_database(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "cv.pdf").write_bytes(b"%PDF-1.4")
    out = StringIO()

    with scratch_database(alias="backup_empty", directory=tmp_path) as alias:
        call_command("backup", output=str(tmp_path / "backups"), database=alias, stdout=out)

    (archive,) = (tmp_path / "backups").iterdir()
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == sorted([DUMP, "manifest.json"])
    assert _manifest(archive)["media"] == {"included": False, "storage": "django.core.files.storage.InMemoryStorage"}
    assert out.getvalue().splitlines()[0] == (
        "The default storage (django.core.files.storage.InMemoryStorage) is not on this filesystem: files in an "
        "object store are backed up by the object store (versioning, replication). This archive holds only the "
        "database."
    )


@sqlite_only
def test_sqlite_backup_inside_a_transaction_is_refused_not_left_waiting(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("backup", output=str(tmp_path), stdout=StringIO())

    assert str(excinfo.value) == (
        "Cannot back up the database 'default' from inside a transaction: run it on its own (outside "
        "transaction.atomic). Nothing was written."
    )
    assert list(tmp_path.iterdir()) == []


@postgresql_only
def test_pg_dump_missing_says_which_package_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)

    with pytest.raises(CommandError) as excinfo:
        call_command("backup", output=str(tmp_path), stdout=StringIO())

    assert str(excinfo.value) == (
        "pg_dump is not installed (or not on PATH). Install the Debian package postgresql-client (apt-get install "
        "postgresql-client), with a major version at least the server's."
    )
    assert list(tmp_path.iterdir()) == []


@postgresql_only
def test_pg_dump_gets_the_connection_settings_only_from_the_environment(tmp_path, monkeypatch):
    calls = []
    real_run = backup.subprocess.run

    def spy(args, **kwargs):
        calls.append((args, kwargs["env"]))
        return real_run(args, **kwargs)

    monkeypatch.setattr(backup.subprocess, "run", spy)

    with scratch_database(alias="backup_empty", directory=tmp_path) as alias:
        name = connections[alias].settings_dict["NAME"]
        call_command("backup", output=str(tmp_path / "backups"), database=alias, stdout=StringIO())

    ((args, env),) = calls
    assert args[0] == "/usr/bin/pg_dump"
    assert args[1:4] == ["--format=custom", "--no-owner", "--no-privileges"]
    assert args[4].startswith("--snapshot=")
    assert args[5] == f"--file={args[5].removeprefix('--file=')}"
    assert len(args) == 6
    assert (env["PGDATABASE"], env["PGHOST"], env["PGPORT"], env["PGUSER"]) == (name, "127.0.0.1", "5432", "postgres")
    assert [arg for arg in args if name in arg or "127.0.0.1" in arg] == []


# --- restore: round trips ------------------------------------------------------------------------------------


def _round_trip(source: Source, tmp_path: Path, settings, *, name: str | None = None) -> tuple[dict[str, int], str]:
    settings.MEDIA_ROOT = tmp_path / "media"
    with scratch_database(alias="restore_target", directory=tmp_path, name=name) as alias:
        assert backup.table_counts(using=alias) == {}
        output = _restore(source.archive, database=alias)
        counts = backup.table_counts(using=alias)
    return counts, output


@sqlite_only
def test_sqlite_round_trip_restores_every_row_and_every_file(source, tmp_path, settings):
    counts, output = _round_trip(source, tmp_path, settings)

    assert counts == source.counts
    assert _hashes(tmp_path / "media") == source.media
    lines = output.splitlines()
    assert lines[1] == f"Uploaded files: 2 copied into {tmp_path / 'media'}, 0 already there."
    assert lines[2] == "Rows per table (equal to the manifest):"
    assert lines[-1] == "Restore complete."


@sqlite_only
def test_sqlite_in_memory_database_is_restored_and_backed_up_through_its_live_connection(source, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"

    with scratch_database(alias="in_memory", directory=tmp_path, name=":memory:") as alias:
        _restore(source.archive, database=alias)
        counts = backup.table_counts(using=alias)
        call_command("backup", output=str(tmp_path / "backups"), database=alias, stdout=StringIO())

    (archive,) = (tmp_path / "backups").iterdir()
    assert counts == source.counts
    assert _manifest(archive)["tables"] == source.counts


@postgresql_only
def test_postgresql_round_trip_restores_every_row_and_every_file(source, tmp_path, settings):
    counts, output = _round_trip(source, tmp_path, settings)

    assert counts == source.counts
    assert _hashes(tmp_path / "media") == source.media
    assert _manifest(source.archive)["database"] == {"vendor": "postgresql", "file": "database.pgdump"}
    lines = output.splitlines()
    assert lines[1] == f"Uploaded files: 2 copied into {tmp_path / 'media'}, 0 already there."
    assert lines[-1] == "Restore complete."


# --- restore: refusals (nothing changed) --------------------------------------------------------------------


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(source, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    before = backup.table_counts()
    occupied = backup.tables_with_rows()
    first = min(occupied)

    with pytest.raises(CommandError) as excinfo:
        _restore(source.archive)

    assert str(excinfo.value) == (
        f"The database 'default' is not empty: table {first} has {occupied[first]} rows (and {len(occupied) - 1} "
        "other tables have rows). Restore only into an empty database (a new PostgreSQL database from createdb, "
        f"or a new SQLite file; running `migrate` in it first is fine). {NOTHING}"
    )
    assert backup.table_counts() == before
    assert not (tmp_path / "media").exists()


def test_restore_does_not_overwrite_a_different_uploaded_file(source, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "documents").mkdir(parents=True)
    (tmp_path / "media" / "documents" / "cv.pdf").write_bytes(b"someone else's file")

    with scratch_database(alias="restore_target", directory=tmp_path) as alias:
        with pytest.raises(CommandError) as excinfo:
            _restore(source.archive, database=alias)
        counts = backup.table_counts(using=alias)

    assert str(excinfo.value) == (
        f"{tmp_path / 'media' / 'documents' / 'cv.pdf'} already exists with other contents than the archived file. "
        f"Move it away (or restore into an empty MEDIA_ROOT). {NOTHING}"
    )
    assert counts == {}
    assert _hashes(tmp_path / "media") == {"documents/cv.pdf": hashlib.sha256(b"someone else's file").hexdigest()}


def test_a_tampered_file_is_named_and_nothing_is_restored(source, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    forged = b"%PDF-1.4 forged\n"
    archive = _rewrite(source.archive, tmp_path / "tampered.tar.gz", replace={"media/documents/cv.pdf": forged})

    with scratch_database(alias="restore_target", directory=tmp_path) as alias:
        with pytest.raises(CommandError) as excinfo:
            _restore(archive, database=alias)
        counts = backup.table_counts(using=alias)

    assert str(excinfo.value) == (
        f"The archive {archive} is damaged: media/documents/cv.pdf has SHA-256 {hashlib.sha256(forged).hexdigest()}, "
        f"the manifest says {source.media['documents/cv.pdf']}. {NOTHING}"
    )
    assert counts == {}
    assert not (tmp_path / "media").exists()


def _refusal(archive: Path, tmp_path: Path, settings) -> str:
    """Restore `archive` into the test database; the refusal's message, after checking nothing changed."""
    settings.MEDIA_ROOT = tmp_path / "media"
    before = backup.table_counts()
    with pytest.raises(CommandError) as excinfo:
        _restore(archive)
    assert backup.table_counts() == before
    assert not (tmp_path / "media").exists()
    return str(excinfo.value)


def test_an_archive_without_manifest_is_refused(source, tmp_path, settings):
    archive = _rewrite(source.archive, tmp_path / "no-manifest.tar.gz", drop=(backup.MANIFEST_NAME,))

    message = _refusal(archive, tmp_path, settings)

    assert message == f"The archive {archive} has no manifest.json: it is not a MedTalent backup. {NOTHING}"


def test_a_file_that_is_not_a_tar_gz_is_refused(tmp_path, settings):
    archive = tmp_path / "medtalent-backup-20250101-000000.tar.gz"
    archive.write_text("not an archive")

    message = _refusal(archive, tmp_path, settings)

    assert message == f"{archive} is not a readable .tar.gz archive. {NOTHING}"


def test_a_missing_archive_is_refused(tmp_path, settings):
    message = _refusal(tmp_path / "missing.tar.gz", tmp_path, settings)

    assert message == f"{tmp_path / 'missing.tar.gz'} does not exist or is not a file. {NOTHING}"


@pytest.mark.parametrize("name", ["../escape.txt", "/tmp/escape.txt", "media/../../escape.txt"])
def test_an_archive_member_outside_the_archive_is_refused(source, tmp_path, settings, name):
    member = tarfile.TarInfo(name)
    member.size = 1
    archive = _rewrite(source.archive, tmp_path / "unsafe.tar.gz", extra=(member,))

    message = _refusal(archive, tmp_path, settings)

    assert message == f"The archive {archive} holds an unsafe member name {name!r}. {NOTHING}"
    assert not (tmp_path.parent / "escape.txt").exists()


def test_an_archive_with_a_link_is_refused(source, tmp_path, settings):
    link = tarfile.TarInfo("media/passwd")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    archive = _rewrite(source.archive, tmp_path / "link.tar.gz", extra=(link,))

    message = _refusal(archive, tmp_path, settings)

    assert message == (
        f"The archive {archive} holds 'media/passwd', which is not a regular file (a link or a device). {NOTHING}"
    )


def test_an_archive_of_another_vendor_is_refused(source, tmp_path, settings):
    other_dump = backup.DUMP_FILES[OTHER_VENDOR]

    def other_vendor(manifest):
        manifest["database"] = {"vendor": OTHER_VENDOR, "file": other_dump}
        manifest["files"][other_dump] = manifest["files"].pop(DUMP)

    archive = _rewrite(source.archive, tmp_path / "other.tar.gz", rename={DUMP: other_dump}, edit_manifest=other_vendor)

    message = _refusal(archive, tmp_path, settings)

    assert message == (
        f"The archive {archive} holds a {OTHER_VENDOR} database, but the target database is {VENDOR}. "
        f"Restore it into a {OTHER_VENDOR} database. {NOTHING}"
    )


def test_an_archive_of_an_unknown_format_version_is_refused(source, tmp_path, settings):
    archive = _rewrite(
        source.archive, tmp_path / "v2.tar.gz", edit_manifest=lambda manifest: manifest.update(format_version=2)
    )

    message = _refusal(archive, tmp_path, settings)

    assert message == (
        f"The archive {archive} has format version 2; this MedTalent reads version 1. Restore it with the "
        f"MedTalent release that wrote it. {NOTHING}"
    )


def test_a_file_missing_from_the_archive_is_named(source, tmp_path, settings):
    archive = _rewrite(source.archive, tmp_path / "short.tar.gz", drop=("media/photos/2025/photo.png",))

    message = _refusal(archive, tmp_path, settings)

    assert message == (
        f"The archive {archive} is damaged: media/photos/2025/photo.png is in the manifest but missing. {NOTHING}"
    )


def test_restore_answered_no_changes_nothing(source, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with scratch_database(alias="restore_target", directory=tmp_path) as alias:
        with pytest.raises(CommandError) as excinfo:
            call_command("restore", str(source.archive), database=alias, stdout=StringIO())
        counts = backup.table_counts(using=alias)

    assert str(excinfo.value) == f"Restore cancelled. {NOTHING}"
    assert counts == {}
    assert not (tmp_path / "media").exists()


def test_a_row_count_that_differs_from_the_manifest_names_the_table(source, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = _rewrite(
        source.archive,
        tmp_path / "miscounted.tar.gz",
        edit_manifest=lambda manifest: manifest["tables"].update(people_person=4),
    )

    with scratch_database(alias="restore_target", directory=tmp_path) as alias, pytest.raises(CommandError) as excinfo:
        _restore(archive, database=alias)

    assert str(excinfo.value) == (
        "After the restore, table people_person has 3 rows, but the manifest says 4 rows. The database "
        "'restore_target' does not match the backup: do not use it; restore again into a new empty database."
    )


def test_backup_into_media_root_is_refused(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path

    with pytest.raises(CommandError) as excinfo:
        call_command("backup", output=str(tmp_path / "backups"), stdout=StringIO())

    assert str(excinfo.value) == (
        f"The output directory {tmp_path / 'backups'} lies inside MEDIA_ROOT ({tmp_path}): each backup would hold "
        "the ones before it. Choose another --output directory."
    )
    assert list(tmp_path.iterdir()) == []
