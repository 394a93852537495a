"""The Decision 766 service index pages, under the back office (``noi-bo/chi-so/``)."""

from django.urls import path

from . import views_index

app_name = "reports_index"

urlpatterns = [
    path("", views_index.dashboard, name="dashboard"),
    path("tinh/", views_index.province, name="province"),
    path("co-quan/<int:agency_id>/", views_index.agency, name="agency"),
    path("ho-so/<str:code>/<str:part>/", views_index.dossiers, name="dossiers"),
]
