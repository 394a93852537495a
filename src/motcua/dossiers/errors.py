"""Typed errors of the dossier engine, each with a stable code for the API and the UI.
A refused action changes nothing: it is raised inside the transaction, before any write."""

from django.utils.translation import gettext_lazy as _


class DossierError(Exception):
    code = "dossier_error"
    status = 400

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = str(message or self.default_message)
        self.code = code or self.code
        self.fields = fields or {}
        super().__init__(self.message)

    default_message = _("The action cannot be performed.")


class TransitionNotAllowed(DossierError):
    """The action does not exist in the dossier's present state."""

    code = "transition_not_allowed"
    status = 409
    default_message = _("This action is not possible in the dossier's present state.")


class ActionForbidden(DossierError):
    """The actor may not perform this action on this dossier."""

    code = "forbidden"
    status = 403
    default_message = _("You are not allowed to perform this action on this dossier.")


class RuleViolation(DossierError):
    """A rule of the regulation refuses the action (limits, notice periods, fees …)."""

    code = "rule_violation"
    status = 409
