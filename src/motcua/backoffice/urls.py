from django.urls import path

from . import configuration, reception, staff, views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("xac-thuc/", views.two_factor, name="two_factor"),
    path("dang-xuat/", views.logout, name="logout"),
    path("hang-doi/<slug:key>/", views.queue, name="queue"),
    path("cau-hinh/co-quan/", configuration.agencies, name="config_agencies"),
    path("cau-hinh/can-bo/", staff.staff_list, name="staff"),
    path("cau-hinh/lich/", configuration.calendar, name="config_calendar"),
    path("tiep-nhan/", reception.choose, name="reception"),
    path("tiep-nhan/<str:national_code>/", reception.receive, name="reception_form"),
    path("ho-so/<uuid:public_id>/", views.dossier, name="dossier"),
    path("ho-so/<uuid:public_id>/ket-qua/", views.upload_result, name="upload_result"),
    path("ho-so/<uuid:public_id>/thu-phi/", views.record_payment, name="record_payment"),
    path("ho-so/<uuid:public_id>/ket-qua.pdf", views.download_result, name="result"),
    path("ho-so/<uuid:public_id>/<slug:kind>.pdf", views.sheet, name="sheet"),
    path("ho-so/<uuid:public_id>/<slug:action>/", views.act, name="act"),
]
