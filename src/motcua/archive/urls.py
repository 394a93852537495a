"""Included at ``/noi-bo/luu-tru/``."""

from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.agency, name="agency"),
    path("<str:code>/goi/<int:pk>/", views.download, name="download"),
]
