"""Applicant accounts behind the Portal's sign-in (SPEC §3 item 2): the account a national SSO
identity or a verified phone number signs in to, and the contact details an applicant edits.

A person's national identity (personal ID number, 12 digits) is a citizen account and an
organisation's (tax code) an organisation account (HG 5.6). The account is created the first
time and found again by its identifier, so the account the one-stop desk opened for a paper
dossier is the one the person finds online. A staff account is never used for this.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User

from .models import ApplicantProfile, ExternalIdentity
from .sso import SignInRefused, SsoIdentity

PERSONAL_ID = re.compile(r"^\d{12}$")
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
PHONE = re.compile(r"^0\d{9,10}$")


def normalise_phone(text: str) -> str:
    """``+84 912 345 678``, ``84912345678`` and ``0912.345.678`` all become ``0912345678``."""
    digits = re.sub(r"[\s.\-()]", "", text or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def _contact_phone(text: str) -> str:
    phone = normalise_phone(text)
    return phone if PHONE.match(phone) else ""


def _contact_email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text


@transaction.atomic
def applicant_for_identity(identity: SsoIdentity) -> User:
    """The applicant account ``identity`` signs in to: created on the first sign-in; the name
    always, and the phone and e-mail when the national account changed them, updated on the
    later ones (VP 10.3). Raises :class:`SignInRefused` for a staff account."""
    if identity.tax_code and TAX_CODE.match(identity.tax_code):
        kind, field, value = User.Kind.ORGANISATION, "tax_code", identity.tax_code
    elif identity.personal_id and PERSONAL_ID.match(identity.personal_id):
        kind, field, value = User.Kind.CITIZEN, "personal_id", identity.personal_id
    else:
        raise SignInRefused("no_identifier")
    now = timezone.now()
    phone, email = _contact_phone(identity.phone), _contact_email(identity.email)
    link = (
        ExternalIdentity.objects.select_for_update()
        .filter(issuer=identity.issuer, subject=identity.subject)
        .first()
    )
    if link is not None:
        user = User.objects.select_for_update().get(pk=link.user_id)
        if user.kind == User.Kind.STAFF:
            raise SignInRefused("staff")
        if getattr(user, field) != value:
            raise SignInRefused("mismatch", f"{field} changed")
    else:
        user = User.objects.select_for_update().filter(**{field: value}).first()
        if user is not None and user.kind == User.Kind.STAFF:
            raise SignInRefused("staff")
        if user is None:
            user = User(
                username=f"{'cd' if kind == User.Kind.CITIZEN else 'tc'}{value}",
                kind=kind,
                **{field: value},
            )
            user.set_unusable_password()
        link = ExternalIdentity(issuer=identity.issuer, subject=identity.subject, user=user)
    if not user.is_active:
        raise SignInRefused("suspended")
    if identity.full_name:
        user.full_name = identity.full_name[:255]
    if phone and (phone != link.phone or not user.phone):
        user.phone = phone
    if email and (email != link.email or not user.email):
        user.email = email
    user.last_login = now
    user.full_clean(exclude=["password"])
    user.save()
    link.user = user
    link.phone, link.email, link.last_sign_in_at = phone, email, now
    link.save()
    return user


def profile_of(user: User) -> ApplicantProfile:
    """The applicant's profile row (made empty the first time)."""
    profile, _created = ApplicantProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def update_contact(
    user: User, *, phone: str, email: str, address: str, full_name: str | None = None
) -> User:
    """Change the applicant's contact details (VP 10.3). The name comes from the national
    identity and changes only for a local (phone) account, which has no other source."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.kind not in (User.Kind.CITIZEN, User.Kind.ORGANISATION):
        raise ValidationError("not an applicant account")
    profile = ApplicantProfile.objects.select_for_update().get_or_create(user=user)[0]
    user.phone = normalise_phone(phone)
    user.email = email.strip()
    if full_name is not None and profile.sign_in_phone:
        user.full_name = " ".join(full_name.split())
    user.full_clean(exclude=["password"])
    profile.address = " ".join(address.split())
    profile.full_clean()
    user.save()
    profile.save()
    return user
