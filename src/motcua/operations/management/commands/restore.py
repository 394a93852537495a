from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.operations.backup import BackupError, restore, same_secret_key


class Command(BaseCommand):
    help = (
        "Restore a backup archive into this instance after checking its checksums; the "
        "instance must be empty unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path, help="the archive made by `motcua backup`")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite the database and files present"
        )

    def handle(self, *args, src, replace, **options):
        try:
            manifest = restore(src, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        self.stdout.write(
            f"{src}: {manifest['engine']} database of {manifest['created_at']} and {files} files"
        )
        if not same_secret_key(manifest):
            self.stderr.write(
                "Warning: this instance's SECRET_KEY is not the one of the instance backed up; "
                "the stored signing keys stay unreadable until it runs with that key "
                "(MOTCUA_SECRET_KEY, or the data folder's secret-key file)."
            )
