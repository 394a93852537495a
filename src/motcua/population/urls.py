"""Included at ``/noi-bo/dan-cu/``."""

from django.urls import path

from . import views

app_name = "population"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("thong-ke/", views.usage, name="usage"),
    path("nhat-ky/", views.log, name="log"),
    path("dang-ky/", views.registrations, name="registrations"),
]
