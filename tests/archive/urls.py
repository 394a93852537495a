"""The root URLs with the archive pages at /noi-bo/luu-tru/, whether or not the root
configuration includes them yet."""

from django.urls import include, path

from motcua.urls import urlpatterns as root

urlpatterns = list(root)
if not any(getattr(p, "namespace", None) == "archive" for p in root):
    urlpatterns.insert(0, path("noi-bo/luu-tru/", include("motcua.archive.urls")))
