"""Re-encrypt the personal fields with the newest key and recompute the keyed hashes (docs/security/personal-data.md).

Rotation: put the new salt first in FIELD_ENCRYPTION_SALTS (keep the old ones after it), or the new SECRET_KEY in
SECRET_KEY with the old one in SECRET_KEY_FALLBACKS; restart; run this command; then drop the old values.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from medtalent.people.services import field_keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest key and recompute the keyed hashes."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=500, help="Rows per transaction (default 500).")

    def handle(self, *args, chunk: int = 500, **options):
        written = field_keys_rotate(chunk=max(1, chunk))
        for label, count in written.items():
            self.stdout.write(f"  {label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS("The encrypted fields now use the newest key."))
