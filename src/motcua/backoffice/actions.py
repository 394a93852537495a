"""The staff actions offered on a dossier page: each one a form (or none) and the engine
service it calls. The engine decides; this module only maps a page to a service."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers import services
from motcua.dossiers.workflow import TRANSITIONS
from motcua.postal.forms import recipient_from

from . import forms


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class StaffAction:
    label: str
    form: type[django_forms.Form] | None
    run: Callable


STAFF_ACTIONS: dict[str, StaffAction] = {
    "receive": StaffAction(_("Receive"), None, lambda d, u, f: services.receive(d, u)),
    "request_supplement": StaffAction(
        _("Request a supplement"),
        forms.SupplementForm,
        lambda d, u, f: services.request_supplement(
            d, u, items=_lines(f["items"]), guidance=f["reason"]
        ),
    ),
    "refuse": StaffAction(
        _("Refuse"), forms.ReasonForm, lambda d, u, f: services.refuse(d, u, reason=f["reason"])
    ),
    "resubmit": StaffAction(
        _("Record the applicant's supplement"), None, lambda d, u, f: services.resubmit(d, u)
    ),
    "claim": StaffAction(_("Take this step"), None, lambda d, u, f: services.claim(d, u)),
    "forward": StaffAction(
        _("Forward to the next step"), None, lambda d, u, f: services.forward(d, u)
    ),
    "send_back": StaffAction(
        _("Send back to the previous step"),
        forms.ReasonForm,
        lambda d, u, f: services.send_back(d, u, reason=f["reason"]),
    ),
    "complete": StaffAction(_("Result is ready"), None, lambda d, u, f: services.complete(d, u)),
    "extend": StaffAction(
        _("Extend with an apology"),
        forms.ExtensionForm,
        lambda d, u, f: services.extend(d, u, new_due_at=f["new_due_at"], apology=f["reason"]),
    ),
    "confirm_extension": StaffAction(
        _("Confirm the extension"), None, lambda d, u, f: services.confirm_extension(d, u)
    ),
    "decline": StaffAction(
        _("Decline"), forms.ReasonForm, lambda d, u, f: services.decline(d, u, reason=f["reason"])
    ),
    "return_result": StaffAction(
        _("Return the result"),
        forms.ReturnForm,
        lambda d, u, f: services.return_result(
            d,
            u,
            method=f["method"],
            originals_checked=f["originals_checked"],
            tracking_number=f["tracking_number"],
            recipient=recipient_from(f),
        ),
    ),
}


def offered(dossier, user) -> list[tuple[str, StaffAction]]:
    """Actions of the dossier's state open to the user's role (the engine checks the rest)."""
    return [
        (name, action)
        for name, action in STAFF_ACTIONS.items()
        if (rule := TRANSITIONS.get((dossier.status, name))) and user.role in rule.actors
    ]
