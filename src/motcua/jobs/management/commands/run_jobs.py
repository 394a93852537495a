from django.core.management.base import BaseCommand

from motcua.jobs.schedule import JOBS, run


class Command(BaseCommand):
    help = "Run the scheduled jobs once (the embedded default has no scheduler of its own)."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=list(JOBS), help="run this job alone")

    def handle(self, *args, only, **options):
        for name in [only] if only else JOBS:
            outcomes = run(name)
            summary = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items()))
            self.stdout.write(f"{name}: {summary or 'nothing to do'}")
