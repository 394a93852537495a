from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.web import views
from motcua.web.admin import StaffAdminSite

# Staff sign in with a second factor everywhere, the admin included (TN 11).
admin.site.__class__ = StaffAdminSite
admin.site.site_header = _("MotCua administration")
admin.site.site_title = _("MotCua")
admin.site.index_title = _("System configuration")

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("", include("motcua.operations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("motcua.api.urls")),
    path("noi-bo/dan-cu/", include("motcua.population.urls")),
    path("noi-bo/khoa-api/", include("motcua.apikeys.urls")),
    path("noi-bo/luu-tru/", include("motcua.archive.urls")),
    path("noi-bo/bao-cao/", include("motcua.reports.urls_statistics")),
    path("noi-bo/cham-muon/", include("motcua.reports.urls_late")),
    path("noi-bo/chi-so/", include("motcua.reports.urls_index")),
    path("noi-bo/", include("motcua.backoffice.urls")),
    path("tai-khoan/", include("motcua.identity.urls")),
    path("kho-du-lieu/", include("motcua.vault.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("buu-chinh/", include("motcua.postal.urls")),
    path("cong-khai/cham-muon/", include("motcua.reports.urls_late_public")),
    path("", include("motcua.feedback.urls")),
    path("", include("motcua.portal.urls")),
]
