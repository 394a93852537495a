"""Work queues of the back office (SPEC §3 item 10): which open dossiers wait for whom."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role, User
from motcua.calendar.services import calendar_for
from motcua.dossiers.access import agency_scope, visible_dossiers
from motcua.dossiers.models import Dossier, Status
from motcua.profiles import active_profile


@dataclass(frozen=True)
class Queue:
    key: str
    label: str


QUEUES = [
    Queue("to_receive", _("To receive")),
    Queue("to_process", _("To process")),
    Queue("due_soon", _("Due soon")),
    Queue("overdue", _("Overdue")),
    Queue("awaiting_supplement", _("Awaiting supplement")),
    Queue("to_return", _("To return")),
]
QUEUE_KEYS = [q.key for q in QUEUES]


def queue(user: User, key: str) -> QuerySet[Dossier]:
    """The dossiers of one queue that ``user`` may see, most urgent first."""
    base = visible_dossiers(user).select_related("procedure", "agency", "applicant", "current_step")
    now = timezone.now()
    if key == "to_receive":
        return base.filter(status=Status.SUBMITTED).order_by("reception_due_at", "id")
    if key == "to_process":
        mine = Q(current_step__role=user.role, current_step__agency_id__in=agency_scope(user))
        if user.role == Role.PROVINCE_MONITOR:
            mine = Q()
        return base.filter(mine, status=Status.PROCESSING).order_by("due_at", "id")
    if key == "due_soon":
        profile = active_profile()
        horizon = profile.monitoring.due_soon.after(now, calendar_for(profile))
        return base.filter(
            status=Status.PROCESSING,
            paused_at__isnull=True,
            due_at__gte=now,
            due_at__lte=horizon,
        ).order_by("due_at", "id")
    if key == "overdue":
        return base.filter(
            status=Status.PROCESSING, paused_at__isnull=True, due_at__lt=now
        ).order_by("due_at", "id")
    if key == "awaiting_supplement":
        return base.filter(status=Status.AWAITING_SUPPLEMENT).order_by("-paused_at", "id")
    if key == "to_return":
        return base.filter(status=Status.RESULT_READY).order_by("result_ready_at", "id")
    raise KeyError(key)


def search(dossiers: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """By dossier code, applicant name or personal ID / tax code."""
    text = text.strip()
    if not text:
        return dossiers
    if text[0].isdigit() and ("-" in text or "." in text):
        return dossiers.filter(code__istartswith=text)
    if text.isdigit():
        return dossiers.filter(
            Q(applicant__personal_id=text) | Q(applicant__tax_code=text) | Q(code__contains=text)
        )
    return dossiers.filter(applicant__full_name__icontains=text)


def counts(user: User) -> dict[str, int]:
    return {key: queue(user, key).count() for key in QUEUE_KEYS}
