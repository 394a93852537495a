from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.demo.loader import DEMO_PASSWORD, DemoDataError, load_demo
from motcua.profiles import ProfileError


class Command(BaseCommand):
    help = "Load the demo province of a profile: agencies, procedures and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--profile", default=None, help="province profile (default: active)")

    def handle(self, *args, profile, **options):
        try:
            summary = load_demo(profile or settings.MOTCUA_PROFILE)
        except (ProfileError, DemoDataError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Demo province '{summary.profile}': {summary.agencies} agencies, "
            f"{summary.procedures} procedures, {summary.dossiers} dossiers, "
            f"{len(summary.accounts)} accounts "
            f"(password {DEMO_PASSWORD})."
        )
