"""The root URLs with the population pages at /noi-bo/dan-cu/, whether or not the root
configuration includes them yet."""

from django.urls import include, path

from motcua.urls import urlpatterns as root

urlpatterns = list(root)
if not any(getattr(p, "namespace", None) == "population" for p in root):
    urlpatterns.insert(0, path("noi-bo/dan-cu/", include("motcua.population.urls")))
