from django.core.management.base import BaseCommand, CommandError

from motcua.nationalportal.adapters import NationalPortalError
from motcua.nationalportal.services import pull_dossiers


class Command(BaseCommand):
    help = (
        "Take the dossiers submitted on the national public-service portal for our procedures "
        "into the dossier engine, once each, and acknowledge them."
    )

    def handle(self, *args, **options):
        try:
            report = pull_dossiers()
        except NationalPortalError as error:
            raise CommandError(f"The national portal could not be read: {error}") from error
        self.stdout.write(
            f"created: {len(report.created)}, refused: {len(report.refused)}, "
            f"already taken: {len(report.already)}, acknowledged: {report.acknowledged}"
        )
        for code in report.created:
            self.stdout.write(f"  + {code}")
        for national_id, reason in sorted(report.refused.items()):
            self.stdout.write(f"  ! {national_id}: {reason}")
        if report.ack_error:
            raise CommandError(f"Not acknowledged, tried again next time: {report.ack_error}")
