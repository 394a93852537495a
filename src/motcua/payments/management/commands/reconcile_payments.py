"""``motcua reconcile_payments``: settle the online payments whose gateway callback never
came (SPEC §3 items 5, 23, 24); run it every few minutes from the scheduler."""

from django.core.management.base import BaseCommand

from motcua.payments.services import reconcile


class Command(BaseCommand):
    help = "Ask the payment gateway about payments left pending and settle them."

    def handle(self, *args, **options):
        done = reconcile()
        summary = ", ".join(f"{code}: {count}" for code, count in sorted(done.items()))
        self.stdout.write(summary or "Nothing to reconcile.")
