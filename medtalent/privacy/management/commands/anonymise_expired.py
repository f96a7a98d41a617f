"""Anonymise the people whose every record has passed its retention period (the `RetentionRule` rows).

Idempotent (an anonymised person is never touched again); `--dry-run` lists who would be anonymised and under
which rule, changing nothing. Prints person ids and rules only, never a personal value.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from medtalent.people.models import Person
from medtalent.privacy.selectors import people_expired
from medtalent.privacy.services import person_anonymise_expired


class Command(BaseCommand):
    help = "Anonymise the people whose retention periods have all ended. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be anonymised; change nothing.")
        parser.add_argument("--today", help="Judge the periods on this date (YYYY-MM-DD) instead of today.")

    def handle(self, *args, dry_run: bool = False, today: str | None = None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        # Collected first: the writes below must not run inside the read's cursor.
        due = [(expired.person.pk, expired.scope) for expired in people_expired(today=day)]
        done = 0
        for pk, scope in due:
            if dry_run:
                self.stdout.write(f"would anonymise person #{pk} ({scope})")
                continue
            if person_anonymise_expired(actor=None, person=Person(pk=pk), scope=scope):
                done += 1
                self.stdout.write(f"anonymised person #{pk} ({scope})")
        if dry_run:
            self.stdout.write(f"{len(due)} to anonymise (dry run: nothing changed).")
        else:
            self.stdout.write(f"{done} anonymised.")
