"""``motcua recompute_deadlines``: after a calendar override changes, recompute the stored
due times of every open dossier and active step from their clocks."""

from django.core.management.base import BaseCommand

from motcua.dossiers.recompute import recompute_open_deadlines


class Command(BaseCommand):
    help = "Recompute the due times of open dossiers on the present calendar."

    def handle(self, *args, **options):
        changed = recompute_open_deadlines()
        self.stdout.write(
            f"{changed['dossiers']} dossiers and {changed['steps']} steps had new due times."
        )
