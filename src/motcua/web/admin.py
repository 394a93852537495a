"""Admin building blocks shared by the apps."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that change only through services (history, outbox): shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StaffAdminSite(OTPAdminSite):
    """The admin requires the second factor; staff sign in through the back office's own
    two-step sign-in, which also enrols the authenticator app (TN 11)."""

    def login(self, request, extra_context=None):
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"), reverse("backoffice:login")
        )
