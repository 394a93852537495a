"""``motcua verify_audit``: walk the audit chain; exit 1 at the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from motcua.audit.services import verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options):
        verdict = verify()
        if not verdict.intact:
            raise CommandError(
                f"Audit chain broken after {verdict.count} good entries — {verdict.broken}",
                returncode=1,
            )
        self.stdout.write(f"Audit chain intact: {verdict.count} entries, head {verdict.head}")
