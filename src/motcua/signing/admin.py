"""Admin for certificate authorities and agency keys: read-only except trust and revocation.
Private keys are never shown."""

from django.contrib import admin

from .models import AgencySigningKey, CertificateAuthority


@admin.register(CertificateAuthority)
class CertificateAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "trusted", "not_after", "created_at"]
    fields = ["name", "trusted", "not_after", "created_at", "certificate_pem"]
    readonly_fields = ["name", "not_after", "created_at", "certificate_pem"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgencySigningKey)
class AgencySigningKeyAdmin(admin.ModelAdmin):
    list_display = ["agency", "signer_name", "issuer", "not_after", "revoked", "created_at"]
    list_filter = ["revoked", "issuer"]
    search_fields = ["agency__code", "agency__name", "fingerprint"]
    fields = [
        "agency",
        "signer_name",
        "issuer",
        "fingerprint",
        "not_after",
        "created_at",
        "revoked",
        "certificate_pem",
    ]
    readonly_fields = [f for f in fields if f != "revoked"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
