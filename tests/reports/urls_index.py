"""The site's URLs with the service index pages mounted where the back office expects them."""

from django.urls import include, path

from motcua.urls import urlpatterns as site

urlpatterns = [path("noi-bo/chi-so/", include("motcua.reports.urls_index")), *site]
