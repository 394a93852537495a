"""The project's pages with the statistics pages mounted where the back office links them."""

from django.urls import include, path

from motcua.urls import urlpatterns as project

urlpatterns = [
    path("noi-bo/bao-cao/", include("motcua.reports.urls_statistics")),
    *project,
]
