"""`python manage.py cleanup_imports [--days N]`: delete uploaded import files past their retention (run daily)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from medtalent.applications.imports import import_files_delete_expired


class Command(BaseCommand):
    help = "Delete the uploaded files of imports that finished more than IMPORT_FILE_RETENTION_DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"keep files this many days after their import finished (default {settings.IMPORT_FILE_RETENTION_DAYS})",
        )

    def handle(self, *args, days: int | None, **options) -> None:
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        deleted = import_files_delete_expired(days=days)
        kept = settings.IMPORT_FILE_RETENTION_DAYS if days is None else days
        self.stdout.write(f"Deleted {deleted} import file(s) older than {kept} days.")
