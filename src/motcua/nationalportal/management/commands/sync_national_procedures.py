from django.core.management.base import BaseCommand, CommandError

from motcua.nationalportal.adapters import NationalPortalError
from motcua.nationalportal.services import sync_catalogue


class Command(BaseCommand):
    help = (
        "Update our procedures from the national procedure database (CSDL TTHC): name, legal "
        "basis, processing time, fees, dossier components. Unknown procedures are flagged."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="national codes (default: every procedure)")

    def handle(self, *args, codes, **options):
        try:
            report = sync_catalogue(codes or None)
        except NationalPortalError as error:
            raise CommandError(f"The national database could not be read: {error}") from error
        self.stdout.write(
            f"changed: {len(report.changed)}, unchanged: {len(report.unchanged)}, "
            f"unknown nationally: {len(report.unknown)}, failed: {len(report.failed)}"
        )
        for code, changes in report.changed.items():
            self.stdout.write(f"  ~ {code}: {changes}")
        for code in report.unknown:
            self.stdout.write(f"  ? {code}: not in the national database (flagged, kept)")
        for code, error in report.failed.items():
            self.stdout.write(f"  ! {code}: {error}")
