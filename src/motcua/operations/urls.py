"""Included at the root: ``/readyz`` and the operators' pages under ``/noi-bo/van-hanh/``."""

from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("readyz", views.readiness, name="readiness"),
    path("noi-bo/van-hanh/bao-tri/", views.maintenance, name="maintenance"),
    path("noi-bo/van-hanh/su-co/", views.incidents, name="incidents"),
    path("noi-bo/van-hanh/su-co/<int:pk>/", views.incident, name="incident"),
]
