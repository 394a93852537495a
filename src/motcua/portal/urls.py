from django.urls import path

from . import apply_views, catalogue_views, dossier_views, lookup_views

app_name = "portal"

# Public pages: the catalogue and the status lookup (SPEC §3 items 1, 4).
urlpatterns = [
    path("", catalogue_views.home, name="home"),
    path("thu-tuc/", catalogue_views.catalogue_page, name="catalogue"),
    path("thu-tuc/<int:pk>/", catalogue_views.procedure, name="procedure"),
    # /tra-cuu/<code>/ is printed in the receipts' QR codes: it must never move.
    path("tra-cuu/", lookup_views.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", lookup_views.lookup, name="lookup_code"),
    path("sms/tra-cuu/", lookup_views.sms, name="sms_lookup"),
]

# Online submission and the applicant's own dossiers (SPEC §3 items 3, 4, 6).
urlpatterns += [
    path("thu-tuc/<int:pk>/nop-ho-so/", apply_views.apply, name="apply"),
    path("thu-tuc/<int:pk>/nop-ho-so/<uuid:public_id>/", apply_views.apply, name="apply_draft"),
    path("ho-so-cua-toi/", dossier_views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<uuid:public_id>/", dossier_views.dossier, name="dossier"),
    path("ho-so-cua-toi/<uuid:public_id>/bien-nhan/", apply_views.receipt, name="receipt"),
    path("ho-so-cua-toi/<uuid:public_id>/qr.png", apply_views.qr, name="dossier_qr"),
    path(
        "ho-so-cua-toi/<uuid:public_id>/bo-sung/",
        dossier_views.supplement,
        name="dossier_supplement",
    ),
    path("ho-so-cua-toi/<uuid:public_id>/rut/", dossier_views.withdraw, name="dossier_withdraw"),
    path(
        "ho-so-cua-toi/<uuid:public_id>/phieu/<slug:kind>/",
        dossier_views.sheet,
        name="dossier_sheet",
    ),
    path(
        "ho-so-cua-toi/<uuid:public_id>/phieu/<slug:kind>/<int:number>/",
        dossier_views.sheet,
        name="dossier_sheet",
    ),
    path("ho-so-cua-toi/<uuid:public_id>/ket-qua/", dossier_views.result, name="dossier_result"),
]
