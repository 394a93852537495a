"""``motcua ensure_signing_keys``: the demo CA, its time-stamping unit and a signing key for
every active agency.

Idempotent — ``motcua demo`` runs it on every start; only agencies without a usable key (new,
revoked or nearly expired) get a new one (SPEC §3 item 13).
"""

from django.core.management.base import BaseCommand

from motcua.catalogue.models import Agency
from motcua.signing.models import AgencySigningKey
from motcua.signing.pki import ensure_agency_key, ensure_demo_ca, ensure_demo_tsa


class Command(BaseCommand):
    help = "Create the demo certificate authority and a signing key for every active agency."

    def handle(self, *args, **options):
        ca = ensure_demo_ca()
        ensure_demo_tsa()
        before = AgencySigningKey.objects.count()
        agencies = Agency.objects.filter(status=Agency.Status.ACTIVE)
        for agency in agencies.iterator():
            ensure_agency_key(agency, ca=ca)
        issued = AgencySigningKey.objects.count() - before
        self.stdout.write(
            f"{ca.name}: {issued} new signing keys, {agencies.count()} active agencies covered."
        )
