"""The Portal's published late lists (BN 24.3); included at ``/cong-khai/cham-muon/``."""

from django.urls import path, register_converter

from . import views_late
from .periods import parse_month

app_name = "reports_late_public"


class MonthConverter:
    """A reporting month in a URL: ``2026-03``."""

    regex = r"\d{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value):
        return parse_month(value)

    def to_url(self, value):
        return f"{value:%Y-%m}"


register_converter(MonthConverter, "late_list_month")

urlpatterns = [
    path("", views_late.public_index, name="index"),
    path("<late_list_month:month>/", views_late.public_month, name="month"),
    path("<late_list_month:month>/tai-ve.csv", views_late.public_month_csv, name="csv"),
]
