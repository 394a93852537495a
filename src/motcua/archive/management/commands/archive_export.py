"""``motcua archive_export``: the package of an agency's closed dossiers of a period, kept
like one made in the back office and copied into a folder (BN 16)."""

import os
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.archive import packages
from motcua.catalogue.models import Agency

USAGE_ERROR = 2


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--{name} must be a date YYYY-MM-DD, not {value!r}", returncode=USAGE_ERROR
        ) from None


class Command(BaseCommand):
    help = "Export an agency's closed dossiers of a period as a BagIt package (ZIP)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="agency code")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day (included)")
        parser.add_argument("--dest", required=True, help="folder the package is written to")

    def handle(self, *args, agency, start, end, dest, **options):
        start, end = _day(start, "from"), _day(end, "to")
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"unknown agency {agency!r}", returncode=USAGE_ERROR)
        try:
            packages.check_period(start, end)
        except packages.ArchiveError as error:
            raise CommandError(error.message, returncode=USAGE_ERROR) from None
        folder = Path(dest)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"cannot write to {dest}: {error}", returncode=USAGE_ERROR) from None
        if not os.access(folder, os.W_OK):
            raise CommandError(f"cannot write to {dest}", returncode=USAGE_ERROR)
        try:
            record = packages.export(found, start, end, actor="command line: archive_export")
        except packages.ArchiveError as error:
            raise CommandError(error.message) from None
        try:
            path = packages.copy_to(record, folder)
        except (packages.ArchiveError, OSError) as error:
            raise CommandError(
                f"package {record.identifier} was made and kept but not copied to {dest}: {error}"
            ) from None
        self.stdout.write(f"{path}\n{record.dossier_count} dossiers\nsha256 {record.sha256}")
