"""One table from an action's name to its engine service, for every caller that names
actions (the API, the back-office dossier page). Parameters come as one plain dict with the
same keys whatever the caller: ``reason`` (the reasons, guidance, note or apology text),
``items``, ``apology``, ``apology_signer``, ``form_data``, ``new_due_at``, ``method``,
``originals_checked``, ``tracking_number``, ``recipient``."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from . import services
from .errors import RuleViolation
from .models import Dossier


def _reason(p: dict) -> str:
    return p.get("reason") or ""


def _extend(d, u, p):
    if not p.get("new_due_at"):
        raise RuleViolation(
            _("Give the new appointment."),
            code="extension_date",
            fields={"new_due_at": [_("Required.")]},
        )
    return services.extend(d, u, new_due_at=p["new_due_at"], apology=_reason(p))


CALLS: dict[str, Callable[[Dossier, object, dict], Dossier]] = {
    "submit": lambda d, u, p: services.submit(d, u),
    "receive": lambda d, u, p: services.receive(d, u),
    "refuse": lambda d, u, p: services.refuse(d, u, reason=_reason(p)),
    "request_supplement": lambda d, u, p: services.request_supplement(
        d,
        u,
        items=p.get("items") or [],
        guidance=_reason(p),
        apology=p.get("apology") or "",
        apology_signer=p.get("apology_signer"),
    ),
    "resubmit": lambda d, u, p: services.resubmit(d, u, form_data=p.get("form_data")),
    "claim": lambda d, u, p: services.claim(d, u),
    "forward": lambda d, u, p: services.forward(d, u, note=_reason(p)),
    "send_back": lambda d, u, p: services.send_back(d, u, reason=_reason(p)),
    "complete": lambda d, u, p: services.complete(d, u),
    "decline": lambda d, u, p: services.decline(d, u, reason=_reason(p)),
    "extend": _extend,
    "confirm_extension": lambda d, u, p: services.confirm_extension(d, u),
    "return_result": lambda d, u, p: services.return_result(
        d,
        u,
        method=p.get("method") or "desk",
        originals_checked=bool(p.get("originals_checked")),
        tracking_number=p.get("tracking_number") or "",
        recipient=p.get("recipient"),
    ),
    "withdraw": lambda d, u, p: services.withdraw(d, u, reason=_reason(p)),
}


def perform(action: str, dossier: Dossier, actor, params: dict) -> Dossier:
    """Run ``action`` on ``dossier`` as ``actor``; the engine checks who may and when."""
    return CALLS[action](dossier, actor, params)
