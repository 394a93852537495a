"""Included at ``/thanh-toan/``."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("<uuid:public_id>/", views.start, name="start"),
    path("<uuid:public_id>/bien-lai.pdf", views.receipt, name="receipt"),
    path("ket-qua/", views.returned, name="return"),
    path("ipn/", views.callback, name="callback"),
    path("gia-lap/", views.fake_gateway, name="fake_gateway"),
]
