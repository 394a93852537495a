from django.contrib import admin

from .models import ApplicantProfile, ExternalIdentity, PhoneGuard


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "issuer", "last_sign_in_at"]
    search_fields = ["subject", "user__personal_id", "user__tax_code", "user__full_name"]
    readonly_fields = [
        "issuer",
        "subject",
        "user",
        "phone",
        "email",
        "created_at",
        "last_sign_in_at",
    ]


@admin.register(ApplicantProfile)
class ApplicantProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "sign_in_phone", "address"]
    search_fields = ["user__full_name", "sign_in_phone"]
    readonly_fields = ["user", "sign_in_phone"]


@admin.register(PhoneGuard)
class PhoneGuardAdmin(admin.ModelAdmin):
    """An operator may lift a lock early (the applicant proved who they are at the desk)."""

    list_display = ["phone", "failures", "locked_until"]
    search_fields = ["phone"]
    readonly_fields = ["phone"]
