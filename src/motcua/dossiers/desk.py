"""Reception of a paper dossier at the one-stop desk (SPEC §3 item 11): the officer creates
the dossier for the applicant, digitises each document and, when it is complete, receives
it — all in one transaction, so a refused step leaves nothing behind."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalogue.models import Agency, Component, Procedure

from . import files, services
from .errors import RuleViolation
from .models import Channel, Dossier


@dataclass(frozen=True)
class Applicant:
    """Who the dossier is for, as the desk records them."""

    identifier: str  # personal ID (12 digits) or tax code (10 or 13 digits)
    full_name: str
    phone: str = ""


def applicant_account(applicant: Applicant) -> User:
    """The applicant's account, created (without a password) the first time they come."""
    is_person = len(applicant.identifier) == 12
    key = "personal_id" if is_person else "tax_code"
    user = User.objects.filter(**{key: applicant.identifier}).first()
    if user is None:
        user = User(
            username=f"{'cd' if is_person else 'tc'}{applicant.identifier}",
            kind=User.Kind.CITIZEN if is_person else User.Kind.ORGANISATION,
            full_name=applicant.full_name,
            phone=applicant.phone,
            **{key: applicant.identifier},
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    return user


@transaction.atomic
def receive_at_desk(
    procedure: Procedure,
    *,
    officer: User,
    applicant: Applicant,
    agency: Agency,
    form_data: dict,
    scans: dict[Component, tuple[str, bytes]],
    channel: str = Channel.DESK,
    receive: bool = True,
) -> Dossier:
    """Create, digitise, submit and (unless told otherwise) receive a paper dossier."""
    missing = [c for c in procedure.components.filter(required=True) if c not in scans]
    if receive and missing:
        raise RuleViolation(
            _("Scan every required document before receiving: %(names)s.")
            % {"names": "; ".join(c.name for c in missing)},
            code="documents_missing",
            fields={f"component_{c.pk}": [_("Required.")] for c in missing},
        )
    account = applicant_account(applicant)
    dossier = services.create_draft(
        procedure,
        applicant=account,
        submitter=officer,
        agency=agency,
        channel=channel,
        form_data=form_data,
    )
    dossier = services.submit(dossier, officer)
    for component, (name, content) in scans.items():
        files.attach(dossier, component, name, content, by=officer, scanned=True)
    if receive:
        dossier = services.receive(dossier, officer)
    return dossier
