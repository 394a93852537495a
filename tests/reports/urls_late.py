"""The root URLs with the late lists at /noi-bo/cham-muon/ and /cong-khai/cham-muon/,
whether or not the root configuration includes them yet."""

from django.urls import include, path

from motcua.urls import urlpatterns as root

urlpatterns = list(root)
namespaces = {getattr(p, "namespace", None) for p in root}
if "reports_late" not in namespaces:
    urlpatterns.insert(0, path("noi-bo/cham-muon/", include("motcua.reports.urls_late")))
if "reports_late_public" not in namespaces:
    urlpatterns.insert(0, path("cong-khai/cham-muon/", include("motcua.reports.urls_late_public")))
