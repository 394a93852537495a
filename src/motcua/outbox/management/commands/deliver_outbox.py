from django.core.management.base import BaseCommand

from motcua.outbox.delivery import deliver_pending


class Command(BaseCommand):
    help = "Deliver the due outbox messages once (the sweep a worker or scheduler runs)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, limit, **options):
        outcomes = deliver_pending(limit)
        self.stdout.write(
            ", ".join(f"{status}: {count}" for status, count in sorted(outcomes.items()))
            or "nothing due"
        )
