"""``motcua rebuild_reports [--check]``: recompute the report tallies from the dossiers'
history; with ``--check``, only compare and exit 1 where the kept tallies differ."""

from django.core.management.base import BaseCommand, CommandError

from motcua.reports import rebuild


class Command(BaseCommand):
    help = "Recompute the report tallies from the history (or, with --check, compare only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="compare only; exit 1 on a difference"
        )

    def handle(self, *args, check=False, **options):
        if not check:
            rows = rebuild.rebuild()
            self.stdout.write(f"{rows} tally rows recomputed from the history.")
            return
        kept, computed = rebuild.stored(), rebuild.recompute()
        differing = sorted(
            key for key in kept.keys() | computed.keys() if kept.get(key) != computed.get(key)
        )
        for agency, procedure, month in differing[:20]:
            self.stdout.write(f"differs: agency {agency}, procedure {procedure}, {month:%Y-%m}")
        if differing:
            raise CommandError(f"{len(differing)} tally rows differ from the history.")
        self.stdout.write(f"{len(kept)} tally rows agree with the history.")
