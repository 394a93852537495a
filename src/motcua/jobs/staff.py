"""Warnings to staff (SPEC §3 items 10, 24): a step due soon or overdue goes to the officers
holding it and to their leaders; an online dossier not received within the reception limit
(VP 13.1, HG 6.1) to the desk officers and the leaders of their desks. Each warning is one
outbox message whose key names the step (or the dossier) and the kind, so it is sent once
however often, and however many at once, the jobs run; the handler e-mails each recipient
once per message. Like the notices to applicants, the texts are written in Vietnamese."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Agency
from motcua.documents.formatting import moment
from motcua.dossiers.models import Dossier, DossierStep
from motcua.notifications.services import ChannelFailed, Contacts, send
from motcua.outbox.delivery import handles
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import Message, enqueue_once

TOPIC = "notify.staff"


class Kind:
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NOT_RECEIVED = "not_received"


def _with_parents(agency_id: int) -> list[int]:
    """The agency and those above it: staff there work on its dossiers (dossiers.access)."""
    ids = []
    while agency_id is not None and agency_id not in ids:
        ids.append(agency_id)
        agency_id = Agency.objects.filter(pk=agency_id).values_list("parent_id", flat=True)[0]
    return ids


def _staff() -> QuerySet[User]:
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True)


def holders(role: str, agency_id: int) -> QuerySet[User]:
    """Who may act in ``role`` at ``agency_id``: staff in that role there or above it, and
    for reception, the officers of the desks serving it (HG 19.9)."""
    where = Q(agency_id__in=_with_parents(agency_id))
    if role == Role.RECEPTION_OFFICER:
        where |= Q(agency__desks__served_agencies=agency_id, agency__desks__is_active=True)
    return _staff().filter(where, role=role).distinct()


def step_recipients(step: DossierStep) -> list[User]:
    """The officer who took the step (or all who may take it), the leader of its unit and
    the leader of the handling agency."""
    officers = [step.assignee] if step.assignee_id else list(holders(step.role, step.agency_id))
    leaders = _staff().filter(
        Q(role=Role.UNIT_LEADER, agency_id=step.agency_id)
        | Q(role=Role.AGENCY_LEADER, agency_id=step.dossier.agency_id)
    )
    return _unique([*officers, *leaders])


def reception_recipients(dossier: Dossier) -> list[User]:
    """The desk officers who may receive the dossier and the leaders of their agencies."""
    officers = list(holders(Role.RECEPTION_OFFICER, dossier.agency_id))
    leaders = _staff().filter(
        role=Role.AGENCY_LEADER, agency_id__in={o.agency_id for o in officers}
    )
    return _unique([*officers, *leaders])


def _unique(users: list[User]) -> list[User]:
    return list({u.pk: u for u in users}.values())


def key_prefix(kind: str, subject: str) -> str:
    """Warnings are keyed by kind and subject (``step`` or ``dossier``) and its id."""
    return f"warn:{kind}:{subject}:"


def warn(kind: str, dossier: Dossier, due_at: datetime, step: DossierStep | None = None) -> bool:
    """Enqueue one warning unless it was already given; True when it is new."""
    key = (
        key_prefix(kind, "step") + str(step.pk)
        if step
        else key_prefix(kind, "dossier") + str(dossier.pk)
    )
    if OutboxMessage.objects.filter(key=key).exists():
        return False
    recipients = step_recipients(step) if step else reception_recipients(dossier)
    payload = {
        "kind": kind,
        "dossier": dossier.pk,
        "step": step.pk if step else None,
        "due_at": due_at.isoformat(),
        "recipients": [u.pk for u in recipients],
    }
    return enqueue_once(Message(TOPIC, key, payload)) is not None


def warning_text(kind: str, dossier: Dossier, due_at: datetime, step_name: str = "") -> str:
    what = f"Hồ sơ {dossier.code} ({dossier.procedure.name})"
    at_step = f" Bước: {step_name}." if step_name else ""
    texts = {
        Kind.DUE_SOON: f"Cảnh báo: {what} sắp đến hạn xử lý lúc {moment(due_at)}.{at_step}",
        Kind.OVERDUE: f"Cảnh báo: {what} đã quá hạn xử lý từ {moment(due_at)}.{at_step}",
        Kind.NOT_RECEIVED: (
            f"Cảnh báo: {what} nộp trực tuyến chưa được tiếp nhận; "
            f"thời hạn tiếp nhận là {moment(due_at)}."
        ),
    }
    return texts[kind]


@handles(TOPIC)
def notify_staff(message: OutboxMessage) -> None:
    """E-mail a warning to each recipient once; a failed recipient is retried alone."""
    payload = message.payload
    dossier = Dossier.objects.select_related("procedure").get(pk=payload["dossier"])
    step = (
        DossierStep.objects.select_related("process_step").get(pk=payload["step"])
        if payload["step"]
        else None
    )
    text = warning_text(
        payload["kind"],
        dossier,
        datetime.fromisoformat(payload["due_at"]),
        step.process_step.name if step else "",
    )
    recipients = User.objects.filter(pk__in=payload["recipients"])
    _email_each(recipients, text, message.key, dossier=dossier)


def _email_each(users, text: str, key: str, *, dossier: Dossier | None = None) -> None:
    """E-mail ``text`` to each user once per message; a failed recipient is retried alone."""
    failures = []
    for user in users.order_by("pk"):
        try:
            contacts = Contacts(email=user.email)
            send(contacts, text, key=f"{key}:{user.pk}", user=user, dossier=dossier)
        except ChannelFailed as error:
            failures.append(f"{user.pk}: {error}")
    if failures:
        raise ChannelFailed("; ".join(failures))


def operator_text(payload: dict) -> str:
    if payload.get("kind") == "apikey.over_limit":
        window = datetime.fromisoformat(payload["window_start"])
        return (
            f"Cảnh báo: khóa API «{payload['name']}» ({payload['key']}) vượt giới hạn "
            f"{payload['limit_per_minute']} lượt/phút trong khung giờ từ {moment(window)} "
            "(HG 11.3)."
        )
    return f"Cảnh báo vận hành: {payload.get('kind', 'không rõ')}."


@handles("notify.operator")
def notify_operators(message: OutboxMessage) -> None:
    """Alerts for the system operators, e.g. an API key over its normal rate (HG 11.3)."""
    operators = _staff().filter(role=Role.SYSTEM_OPERATOR)
    _email_each(operators, operator_text(message.payload), message.key)
