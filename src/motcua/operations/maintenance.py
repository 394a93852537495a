"""Planned maintenance: announced to users at least the profile's notice period ahead, on
the working calendar (BN 10.3: "tối thiểu trước 05 ngày làm việc"), shown on the Portal
until it is over."""

from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.calendar.services import calendar_for
from motcua.dossiers.errors import RuleViolation
from motcua.profiles import active_profile

from .models import MaintenanceNotice

#: Every Portal page shows the banner: its notices are read once a minute, or at a change.
BANNER_KEY = "operations:maintenance-banner"
BANNER_SECONDS = 60


def earliest_start(now: datetime | None = None) -> datetime:
    """The earliest instant maintenance announced at ``now`` may start (BN 10.3)."""
    now = now or timezone.now()
    return active_profile().maintenance.notice.after(now, calendar_for())


@transaction.atomic
def announce(
    starts_at: datetime, ends_at: datetime, description: str, *, by, now: datetime | None = None
) -> MaintenanceNotice:
    """Record a notice, or refuse one that ends before it starts or comes too late."""
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise RuleViolation(
            _("The maintenance must end after it starts."),
            code="maintenance_period",
            fields={"ends_at": [_("Must be after the start.")]},
        )
    earliest = earliest_start(now)
    if starts_at < earliest:
        notice = active_profile().maintenance.notice
        raise RuleViolation(
            _(
                "Maintenance must be announced %(period)s ahead (%(article)s): it can start "
                "at %(at)s at the earliest."
            )
            % {
                "period": notice,
                "article": notice.article,
                "at": timezone.localtime(earliest).strftime("%H:%M %d/%m/%Y"),
            },
            code="short_notice",
            fields={"starts_at": [_("Too soon.")]},
        )
    _refresh_banner()
    return MaintenanceNotice.objects.create(
        starts_at=starts_at,
        ends_at=ends_at,
        description=description.strip(),
        announced_at=now,
        announced_by=by,
    )


@transaction.atomic
def cancel(notice_id: int, *, by) -> MaintenanceNotice:
    """Withdraw a notice that has not ended yet; it disappears from the Portal."""
    notice = MaintenanceNotice.objects.select_for_update().get(pk=notice_id)
    now = timezone.now()
    if notice.cancelled_at is not None or notice.ends_at <= now:
        raise RuleViolation(_("This notice can no longer be cancelled."), code="not_cancellable")
    notice.cancelled_at = now
    notice.cancelled_by = by
    notice.save(update_fields=["cancelled_at", "cancelled_by"])
    _refresh_banner()
    return notice


def current(now: datetime | None = None):
    """Notices not cancelled and not yet over, the soonest first (what the banner shows)."""
    return MaintenanceNotice.objects.filter(
        cancelled_at__isnull=True, ends_at__gt=now or timezone.now()
    ).order_by("starts_at", "id")


def _refresh_banner() -> None:
    """Forget the banner now and again at commit (a page read in between refills it)."""
    cache.delete(BANNER_KEY)
    transaction.on_commit(lambda: cache.delete(BANNER_KEY))


def banner(limit: int = 3) -> list[MaintenanceNotice]:
    """The notices the Portal's banner shows now, without a query on most pages."""
    notices = cache.get(BANNER_KEY)
    if notices is None:
        notices = list(current()[:limit])
        cache.set(BANNER_KEY, notices, BANNER_SECONDS)
    now = timezone.now()
    return [notice for notice in notices if notice.ends_at > now]
