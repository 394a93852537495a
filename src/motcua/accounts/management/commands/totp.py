"""``motcua totp USERNAME``: the current second-factor code of a demo staff account.

For the embedded demo only (refused unless DEBUG is on): it lets a visitor try the back
office without installing an authenticator app. Real staff enrol their own app.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a staff account (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("only available in the demo (DEBUG on)")
        device = TOTPDevice.objects.filter(user__username=username).order_by("-confirmed").first()
        if device is None:
            raise CommandError(f"{username} has no authenticator yet: sign in once to enrol it")
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
