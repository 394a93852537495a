"""Retention periods of closed dossiers (TT 13/2023/TT-BNV; BN 16.4).

Each procedure's period is set by the agency archive from the retention table of its
sector (a :class:`~motcua.archive.models.Retention` row). A procedure without one is kept
:data:`DEFAULT_YEARS` years, or ``settings.ARCHIVE_DEFAULT_RETENTION_YEARS`` where the
province sets another default. Nothing is ever destroyed by the System: the date only puts
the dossier before the archive's appraisal of records due for disposal, where a procedure
left on the default is seen and decided. Periods count from the end of the year the
dossier closed, as archive retention periods do.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.catalogue.models import Procedure

from .models import Retention

#: Years a procedure's dossiers are kept when the archive has set no period for it.
DEFAULT_YEARS = 10


@dataclass(frozen=True)
class Period:
    """Years kept (``None``: permanently) and the document that sets them."""

    years: int | None
    basis: str

    def until(self, closed_on: date) -> date | None:
        """The last day the archive keeps a dossier closed on ``closed_on``."""
        if self.years is None:
            return None
        return date(closed_on.year + self.years, 12, 31)


def default_period() -> Period:
    years = getattr(settings, "ARCHIVE_DEFAULT_RETENTION_YEARS", DEFAULT_YEARS)
    return Period(years, _("Default period: no retention period set for this procedure"))


def period_for(procedure: Procedure) -> Period:
    """The procedure's own period, or the default."""
    try:
        retention = procedure.retention
    except Retention.DoesNotExist:
        return default_period()
    return Period(retention.years, retention.basis)


@transaction.atomic
def set_period(procedure: Procedure, years: int | None, basis: str, *, actor) -> Retention:
    """Set (or change) how long a procedure's dossiers are kept; audited. Packages already
    made keep the dates they were made with."""
    retention, created = Retention.objects.update_or_create(
        procedure=procedure, defaults={"years": years, "basis": basis.strip()}
    )
    audit.record(
        actor,
        "archive.retention",
        retention,
        {"procedure": procedure.national_code, "years": years, "created": created},
    )
    return retention
