"""``motcua demo``: the System on its embedded defaults in one command.

Migrates the SQLite database in the data folder, loads the demo province of ``--profile``,
prints the addresses and the demo accounts, and serves on 127.0.0.1:8000 until Ctrl-C.
A second run finds the data already there and reuses it.
"""

import textwrap

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from motcua.demo.loader import DEMO_PASSWORD, DemoDataError, load_demo
from motcua.identity.fake_provider import DEMO_IDENTITIES
from motcua.profiles import ProfileError, load_profile


class Command(BaseCommand):
    help = "Start the System with demo data on the embedded defaults."
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--profile", default=None, help="province profile (default bac-ninh)")
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare the data and exit without serving"
        )

    def handle(self, *args, profile, addrport, no_serve, **options):
        profile = profile or settings.MOTCUA_PROFILE
        try:
            province = load_profile(profile)
        except ProfileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"MotCua — {province.province} ({profile}); data in {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            summary = load_demo(profile)
        except DemoDataError as error:
            raise CommandError(str(error)) from None
        # A demo certificate authority and a signing key per agency (PAdES results).
        call_command("ensure_signing_keys", verbosity=0)
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        base = f"http://{host}"
        lines = [
            "",
            f"  Public portal  {base}/",
            f"  Back office    {base}/noi-bo/",
            f"  Administration {base}/admin/",
            f"  API docs       {base}/api/docs/",
            f"  OpenAPI schema {base}/api/schema/",
            "",
            f"  Staff accounts (password for all: {DEMO_PASSWORD})",
            "  Staff confirm with a 6-digit code: scan the QR shown at first sign-in with an",
            "  authenticator app, or print the code with `motcua totp USERNAME`.",
        ]
        staff = [a for a in summary.accounts if not a.applicant]
        width = max(len(account.username) for account in staff)
        lines += [f"    {a.username:<{width}}  {a.label} — {a.agency}" for a in staff]
        lines += self._applicant_lines(base, summary, province)
        lines.append(
            f"\n  {summary.agencies} agencies, {summary.procedures} procedures, "
            f"{summary.dossiers} dossiers." + ("" if no_serve else " Press Ctrl-C to stop.") + "\n"
        )
        self.stdout.write("\n".join(lines))
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False, skip_checks=True)

    @staticmethod
    def _applicant_lines(base, summary, province) -> list[str]:
        """How applicants sign in: through the demo national portal (fake SSO), or by a phone
        code where the profile allows local accounts (VP 10)."""
        people = ", ".join(
            f"{i.full_name} ({i.personal_id or i.tax_code})" for i in DEMO_IDENTITIES
        )
        text = (
            f"Applicants sign in at {base}/tai-khoan/dang-nhap/ through the demo national "
            f"portal: pick {people}, or type any 12-digit ID or tax code and a name. "
            "Accounts with demo dossiers: "
            + ", ".join(f"{a.username} ({a.agency})" for a in summary.accounts if a.applicant)
            + "."
        )
        lines = ["", *textwrap.wrap(text, 94, initial_indent="  ", subsequent_indent="  ")]
        if "phone_otp" in province.sign_in.methods:
            lines.append(
                "  Or sign in with a mobile number: the 6-digit code is printed in this console."
            )
        lines.append(
            "  Payments go through a demo gateway; notices (e-mail, SMS, Zalo) print here."
        )
        return lines
