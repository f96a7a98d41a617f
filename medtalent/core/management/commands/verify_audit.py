"""Walk the audit trail's hash chain (see medtalent/core/auditchain.py and docs/security/audit.md).

Exit status 0 and the number of events when every event matches its hash and links to the one before; else a
CommandError (exit status 1) naming the first altered event (its fields no longer match its hash) or the first
break (events before it are missing). Also fails when the database's append-only triggers are missing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from medtalent.core import auditchain
from medtalent.core.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit trail's hash chain: exit 1 naming the first altered or missing event, 0 when intact."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias to check.")
        parser.add_argument(
            "--head",
            default="",
            help="The head hash an earlier run printed: fail unless the chain still passes through it "
            "(catches events deleted from the end of the trail).",
        )

    def handle(self, *args, database: str = DEFAULT_DB_ALIAS, head: str = "", **options):
        missing = auditchain.missing_triggers(connections[database])
        if missing:
            raise CommandError(
                f"The append-only trigger(s) {', '.join(missing)} are missing on the database {database!r}: "
                "run `manage.py migrate`, or call core.auditchain.install_triggers after a migration that "
                "rebuilt the table."
            )
        passed: list[int] = []

        def watching(rows):
            for row in rows:
                if row["hash"] == head:
                    passed.append(row["id"])
                yield row

        report = auditchain.walk(watching(auditchain.chain_rows(AuditEvent.objects.using(database))))
        if report.problem is not None:
            raise CommandError(
                f"The audit trail is NOT intact ({report.count - 1} events checked before): {report.problem.message}"
            )
        if head and not passed:
            raise CommandError(
                f"missing: the chain no longer passes through the head {head}: events at the end of the trail "
                "were deleted."
            )
        self.stdout.write(f"The audit trail is intact: {report.count} events; head {report.head}.")
