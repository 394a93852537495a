"""The back office's late lists; included at ``/noi-bo/cham-muon/``."""

from django.urls import path

from . import views_late

app_name = "reports_late"

urlpatterns = [
    path("", views_late.month_list, name="list"),
    path("tai-ve.csv", views_late.month_csv, name="csv"),
    path("cong-bo/", views_late.publish, name="publish"),
]
