from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import dossiers, reports, views

router = DefaultRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("fields", views.FieldViewSet, basename="field")
router.register("procedures", views.ProcedureViewSet, basename="procedure")
router.register("dossiers", dossiers.DossierViewSet, basename="dossier")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("v1/lookup/<str:code>/", dossiers.LookupView.as_view(), name="lookup"),
    path("v1/reports/statistics/", reports.StatisticsView.as_view(), name="statistics"),
    path("v1/", include(router.urls)),
]
