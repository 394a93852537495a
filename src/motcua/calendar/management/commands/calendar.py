"""``motcua calendar``: working-time arithmetic on the command line (SPEC §4).

Each sub-command prints one value on stdout; bad input is a one-line error on stderr and
exit code 2.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from motcua.calendar.arithmetic import CalendarError, WorkingCalendar
from motcua.calendar.services import calendar_for
from motcua.profiles import ProfileError, load_profile

USAGE_ERROR = 2


def parse_instant(value: str) -> datetime:
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"invalid instant {value!r}", returncode=USAGE_ERROR) from None
    if instant.utcoffset() is None:
        raise CommandError(
            f"instant {value!r} has no UTC offset (e.g. +07:00)", returncode=USAGE_ERROR
        )
    return instant


def parse_amount(value: str, name: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise CommandError(
            f"--{name} must be a number, not {value!r}", returncode=USAGE_ERROR
        ) from None
    if not amount.is_finite() or amount < 0:
        raise CommandError(f"--{name} must be a non-negative number", returncode=USAGE_ERROR)
    return amount


def format_hours(hours: Decimal) -> str:
    """A plain decimal number of hours, to the microsecond's precision (6 places)."""
    text = f"{hours.quantize(Decimal('0.000001')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Command(BaseCommand):
    help = "Working-time arithmetic on the province's calendar."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        for name, amount in (("add-hours", "hours"), ("add-days", "days"), ("between", None)):
            action = actions.add_parser(name)
            action.add_argument("--start", required=True)
            if amount:
                action.add_argument(f"--{amount}", required=True)
            else:
                action.add_argument("--end", required=True)
            action.add_argument("--profile", default=None)

    def _calendar(self, profile_name: str | None) -> WorkingCalendar:
        try:
            profile = load_profile(profile_name) if profile_name else None
            try:
                return calendar_for(profile)
            except DatabaseError:
                # No database yet (nothing migrated): there are no overrides to honour.
                return calendar_for(profile, overrides=(frozenset(), frozenset()))
        except ProfileError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None

    def handle(self, *args, action, start, profile, **options):
        start = parse_instant(start)
        if action == "between":
            end = parse_instant(options["end"])
        else:
            amount = parse_amount(options[action.removeprefix("add-")], action.removeprefix("add-"))
        calendar = self._calendar(profile)
        try:
            if action == "add-hours":
                value = calendar.add_hours(start, amount).isoformat()
            elif action == "add-days":
                value = calendar.add_days(start, amount).isoformat()
            else:
                value = format_hours(calendar.hours_between(start, end))
        except (CalendarError, OverflowError) as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
        self.stdout.write(value)
