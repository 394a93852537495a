"""The staff actions offered on a dossier page: each one a label and a form (or none); the
service each calls is the engine's one table (:mod:`motcua.dossiers.actions`). The engine
decides; this module only maps a page to it."""

from dataclasses import dataclass

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers import actions
from motcua.dossiers.workflow import TRANSITIONS
from motcua.postal.forms import recipient_from

from . import forms


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class StaffAction:
    label: str
    form: type[django_forms.Form] | None = None

    def run(self, name: str, dossier, user, cleaned: dict):
        params = dict(cleaned)
        if "items" in params:
            params["items"] = _lines(params["items"])
        if name == "return_result":
            params["recipient"] = recipient_from(params)
        return actions.perform(name, dossier, user, params)


STAFF_ACTIONS: dict[str, StaffAction] = {
    "receive": StaffAction(_("Receive")),
    "request_supplement": StaffAction(_("Request a supplement"), forms.SupplementForm),
    "refuse": StaffAction(_("Refuse"), forms.ReasonForm),
    "resubmit": StaffAction(_("Record the applicant's supplement")),
    "claim": StaffAction(_("Take this step")),
    "forward": StaffAction(_("Forward to the next step")),
    "send_back": StaffAction(_("Send back to the previous step"), forms.ReasonForm),
    "complete": StaffAction(_("Result is ready")),
    "extend": StaffAction(_("Extend with an apology"), forms.ExtensionForm),
    "confirm_extension": StaffAction(_("Confirm the extension")),
    "decline": StaffAction(_("Decline"), forms.ReasonForm),
    "return_result": StaffAction(_("Return the result"), forms.ReturnForm),
}


def offered(dossier, user) -> list[tuple[str, StaffAction]]:
    """Actions of the dossier's state open to the user's role (the engine checks the rest)."""
    return [
        (name, action)
        for name, action in STAFF_ACTIONS.items()
        if (rule := TRANSITIONS.get((dossier.status, name))) and user.role in rule.actors
    ]
