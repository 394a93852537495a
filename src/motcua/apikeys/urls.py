"""Included at ``/noi-bo/khoa-api/``."""

from django.urls import path

from . import views

app_name = "apikeys"

urlpatterns = [
    path("", views.index, name="index"),
    path("cap-moi/", views.issue, name="issue"),
    path("<str:prefix>/", views.detail, name="detail"),
    path("<str:prefix>/thu-hoi/", views.revoke, name="revoke"),
]
