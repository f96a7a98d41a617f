"""Restore a backup archive into an empty database and MEDIA_ROOT (see medtalent/core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from medtalent.core.backup import BackupError, Manifest, backup_restore, count_lines


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an EMPTY database and MEDIA_ROOT. The archive is checked "
        "first (manifest, vendor, every SHA-256); a database with data is refused; the row counts are verified."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="A medtalent-backup-*.tar.gz file.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation once the checks pass.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias to restore into.")

    def handle(self, *args, archive: Path, yes: bool = False, database: str = DEFAULT_DB_ALIAS, **options):
        try:
            result = backup_restore(archive=archive, using=database, confirm=None if yes else self._confirm)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            f"Database {database!r} restored from {archive} ({manifest['database']['vendor']}, "
            f"backup of {manifest['created_at']})."
        )
        self.stdout.write(
            f"Uploaded files: {result.files_copied} copied into {settings.MEDIA_ROOT}, "
            f"{result.files_unchanged} already there."
        )
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write("Rows per table (equal to the manifest):")
        for line in count_lines(manifest=manifest):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Restore complete."))

    def _confirm(self, manifest: Manifest) -> bool:
        self.stdout.write(
            f"The archive is sound: a {manifest['database']['vendor']} backup of {manifest['created_at']}, "
            f"{len(manifest['files'])} files. It will be restored into the empty database and {settings.MEDIA_ROOT}."
        )
        try:
            return input("Type 'yes' to continue: ").strip().lower() == "yes"
        except EOFError:  # no terminal to answer: --yes is how a script says yes
            return False
