from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive with checksums."

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path, help="the archive to write (.tar.gz)")

    def handle(self, *args, dest, **options):
        try:
            manifest = backup(dest)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        self.stdout.write(f"{dest}: {manifest['engine']} database and {files} files")
