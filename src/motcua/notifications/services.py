"""Sending notices to applicants on every channel they can be reached on (SPEC §3 item 9),
fed by the outbox: each (message, channel) is sent at most once, so a delivery retried after
a failure on one channel does not repeat the channels that already went out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.feedback.models import Feedback
from motcua.outbox.delivery import handles
from motcua.outbox.models import OutboxMessage

from . import sms, zalo
from .models import Notification
from .texts import feedback_answered, notice, unaccented


@dataclass(frozen=True)
class Contacts:
    """Where someone can be reached; any of them may be empty."""

    email: str = ""
    phone: str = ""

    @classmethod
    def of(cls, user) -> Contacts:
        return cls(email=user.email or "", phone=user.phone or "")


def _email(to: str, text: str, key: str) -> str:
    subject = str(_("Public service portal: notice"))
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    return key


def _sms(to: str, text: str, key: str) -> str:
    return sms.send_sms(to, unaccented(text))


def _zalo(to: str, text: str, key: str) -> str:
    return zalo.get_service().send(to, text, key=key)


#: channel → (the contact it uses, how it sends).
CHANNELS: dict[str, tuple[str, Callable[[str, str, str], str]]] = {
    Notification.Channel.EMAIL: ("email", _email),
    Notification.Channel.SMS: ("phone", _sms),
    Notification.Channel.ZALO: ("phone", _zalo),
}


def enabled_channels() -> list[str]:
    return [c for c in settings.MOTCUA_NOTIFY_CHANNELS if c in CHANNELS]


def send(
    contacts: Contacts, text: str, *, key: str, user=None, dossier: Dossier | None = None
) -> list[Notification]:
    """Send ``text`` on each enabled channel ``contacts`` allows, once per ``key``.
    A failing channel raises after the others have been tried, so the outbox retries it."""
    sent, failures = [], []
    for channel in enabled_channels():
        contact_field, deliver = CHANNELS[channel]
        to = getattr(contacts, contact_field)
        if not to or Notification.objects.filter(message_key=key, channel=channel).exists():
            continue
        try:
            reference = deliver(to, text, f"{key}:{channel}")
        except Exception as error:  # the other channels still go out
            failures.append(f"{channel}: {error}")
            continue
        sent.append(
            Notification.objects.create(
                message_key=key,
                channel=channel,
                user=user,
                dossier=dossier,
                recipient=to,
                text=text,
                provider_reference=str(reference)[:128],
            )
        )
    if failures:
        raise ChannelFailed("; ".join(failures))
    return sent


class ChannelFailed(Exception):
    """At least one channel could not send; the outbox will try it again."""


@handles("notify.applicant")
def notify_applicant(message: OutboxMessage) -> None:
    """The applicant is told of a change to their dossier (the engine enqueues it)."""
    event = DossierEvent.objects.select_related(
        "dossier__applicant", "dossier__procedure", "dossier__agency"
    ).get(pk=message.payload["event"])
    text = notice(event.dossier, event, due_at=message.payload.get("due_at"))
    if text:
        applicant = event.dossier.applicant
        send(
            Contacts.of(applicant),
            text,
            key=message.key,
            user=applicant,
            dossier=event.dossier,
        )


@handles("notify.feedback_answered")
def notify_feedback_answered(message: OutboxMessage) -> None:
    """The sender of a feedback is told it has been answered, on the contacts they gave."""
    feedback = Feedback.objects.select_related("submitter").get(
        tracking_code=message.payload["tracking_code"]
    )
    send(
        Contacts(email=feedback.email, phone=feedback.phone),
        feedback_answered(feedback.tracking_code),
        key=message.key,
        user=feedback.submitter,
    )
