"""Staff accounts managed by an agency administrator (SPEC §3 item 17): within the agency's
own tree only, never above it, and never the administrator's own role."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import PROCESS_ROLES, Role, User

#: Roles an agency administrator may give.
ASSIGNABLE_ROLES = [*PROCESS_ROLES]


def _check_admin(admin: User, agency) -> None:
    from motcua.dossiers.access import agency_scope

    if admin.role != Role.AGENCY_ADMIN or agency is None or agency.pk not in agency_scope(admin):
        raise PermissionDenied


@transaction.atomic
def create_staff(
    admin: User, *, username: str, full_name: str, role: str, agency, password: str, email: str = ""
) -> User:
    """A new staff account of the administrator's agency (or a unit below it)."""
    _check_admin(admin, agency)
    if role not in ASSIGNABLE_ROLES:
        raise ValidationError({"role": _("This role cannot be given here.")})
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        email=email,
        kind=User.Kind.STAFF,
        role=role,
        agency=agency,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def set_active(admin: User, user: User, active: bool) -> User:
    """Suspend or restore a staff account (accounts are never deleted: history names them)."""
    _check_admin(admin, user.agency)
    if user.pk == admin.pk or user.kind != User.Kind.STAFF:
        raise PermissionDenied
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user
