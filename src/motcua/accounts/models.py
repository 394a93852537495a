from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles of the one-stop back office (SPEC §3 items 10–18)."""

    RECEPTION_OFFICER = "reception_officer", _("One-stop officer")
    SPECIALIST = "specialist", _("Specialist")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
    CLERK = "clerk", _("Clerk")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    PROVINCE_MONITOR = "province_monitor", _("Province monitor")
    POLICE_AUDITOR = "police_auditor", _("Police auditor")
    SYSTEM_OPERATOR = "system_operator", _("System operator")


#: Roles that carry out the steps of an electronic process.
PROCESS_ROLES = [
    Role.RECEPTION_OFFICER,
    Role.SPECIALIST,
    Role.UNIT_LEADER,
    Role.AGENCY_LEADER,
    Role.CLERK,
]


class User(AbstractUser):
    """A person who signs in: an applicant (citizen or organisation) or a staff member."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        ORGANISATION = "organisation", _("Organisation")
        STAFF = "staff", _("Staff")

    kind = models.CharField(_("account kind"), max_length=16, choices=Kind.choices)
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    phone = models.CharField(
        _("phone number"),
        max_length=15,
        blank=True,
        validators=[RegexValidator(r"^0\d{9,10}$", _("Enter a Vietnamese phone number."))],
    )
    personal_id = models.CharField(
        _("personal identification number"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("A personal ID number has 12 digits."))],
    )
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{10}(-\d{3})?$", _("A tax code has 10 or 13 digits."))],
    )
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, blank=True)
    failed_logins = models.PositiveSmallIntegerField(_("failed sign-ins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["personal_id"],
                condition=~models.Q(personal_id=""),
                name="unique_personal_id",
            ),
            models.UniqueConstraint(
                fields=["tax_code"], condition=~models.Q(tax_code=""), name="unique_tax_code"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="staff") | models.Q(role=""),
                name="only_staff_have_roles",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_staff_member(self) -> bool:
        """A public servant of the back office (not Django's admin flag)."""
        return self.kind == self.Kind.STAFF
