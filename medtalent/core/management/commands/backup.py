"""Back up the database and the uploaded files into one dated archive (see medtalent/core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from medtalent.core.backup import BackupError, backup_create, count_lines, default_backup_dir, format_size


class Command(BaseCommand):
    help = (
        "Write medtalent-backup-YYYYMMDD-HHMMSS.tar.gz: the database, every file under MEDIA_ROOT and a manifest "
        "(migration state, row counts, SHA-256 of every file)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help=f"Directory for the archive (default: {default_backup_dir()}).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias to back up.")

    def handle(self, *args, output: Path | None = None, database: str = DEFAULT_DB_ALIAS, **options):
        try:
            result = backup_create(output_dir=output or default_backup_dir(), using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        manifest = result.manifest
        self.stdout.write(f"Archive: {result.path}")
        self.stdout.write(f"Size: {format_size(size=result.size)} ({result.size} bytes)")
        self.stdout.write(f"Database: {manifest['database']['vendor']}, created {manifest['created_at']}")
        self.stdout.write("Rows per table:")
        for line in count_lines(manifest=manifest):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Backup complete."))
