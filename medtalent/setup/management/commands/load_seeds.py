"""Load the data MedTalent ships: code tables, specialties, organisations and the seed programmes.

Idempotent: a second run changes nothing and says so. The loaders live in their apps (`<app>/loaders.py`, written
with `core.seeding`); this command, above every app, runs them in dependency order.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from medtalent.alliance.loaders import load_alliance
from medtalent.annual.loaders import load_annual
from medtalent.catalog.loaders import load_programmes
from medtalent.codes.loaders import load_code_tables
from medtalent.codes.specialties import load_specialties
from medtalent.core.seeding import SeedDataError, SeedReport
from medtalent.orgs.loaders import load_organisations
from medtalent.partnerships.loaders import load_agreement_template, load_pairings
from medtalent.people.loaders import load_privacy_notices
from medtalent.policy.loaders import load_policies
from medtalent.privacy.loaders import load_retention_rules
from medtalent.workdays.loaders import load_calendar

# In dependency order: organisations need regions and countries, programmes need all of them.
SEED_LOADERS = [
    load_calendar,
    load_code_tables,
    load_specialties,
    load_organisations,
    load_programmes,
    load_policies,
    load_privacy_notices,
    load_retention_rules,
    load_pairings,
    load_agreement_template,
    load_alliance,
    load_annual,
]


class Command(BaseCommand):
    help = "Load all seed data (code tables, specialties, organisations, programmes). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Restore the shipped values in rows an administrator changed (by default they are kept).",
        )

    def handle(self, *args, overwrite: bool = False, **options):
        report = SeedReport(overwrite=overwrite)
        try:
            with transaction.atomic():
                for loader in SEED_LOADERS:
                    loader(report)
                report.save_records()
        except SeedDataError as exc:
            raise CommandError(f"The shipped seed data is wrong, nothing was loaded: {exc}") from exc
        for line in report.lines():
            self.stdout.write(f"  {line}")
        for row in report.kept_rows:
            self.stdout.write(
                self.style.WARNING(
                    f"  kept (changed by an administrator; --overwrite restores the shipped values): {row}"
                )
            )
        for problem in report.problems:
            self.stderr.write(self.style.WARNING(f"  could not resolve: {problem}"))
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Seed data loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Seed data already up to date: nothing changed."))
