from django.urls import path

from . import administration, configuration, reception, staff, views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("xac-thuc/", views.two_factor, name="two_factor"),
    path("dang-xuat/", views.logout, name="logout"),
    path("hang-doi/<slug:key>/", views.queue, name="queue"),
    path("cau-hinh/", administration.index, name="config"),
    path("cau-hinh/don-vi/", administration.units, name="config_units"),
    path("cau-hinh/don-vi/<int:pk>/", administration.unit, name="config_unit"),
    path("cau-hinh/thu-tuc/", administration.procedures, name="config_procedures"),
    path("cau-hinh/thu-tuc/<int:pk>/", administration.procedure, name="config_procedure"),
    path("cau-hinh/thu-tuc/<int:pk>/quy-trinh/", administration.processes, name="config_processes"),
    path("cau-hinh/quy-trinh/<int:pk>/", administration.process, name="config_process"),
    path("cau-hinh/co-quan/", configuration.agencies, name="config_agencies"),
    path("cau-hinh/can-bo/", staff.staff_list, name="staff"),
    path("cau-hinh/lich/", configuration.calendar, name="config_calendar"),
    path("tiep-nhan/", reception.choose, name="reception"),
    path("tiep-nhan/<str:national_code>/", reception.receive, name="reception_form"),
    path("ho-so/<uuid:public_id>/", views.dossier, name="dossier"),
    path("ho-so/<uuid:public_id>/ket-qua/", views.upload_result, name="upload_result"),
    path("ho-so/<uuid:public_id>/thu-phi/", views.record_payment, name="record_payment"),
    path("ho-so/<uuid:public_id>/ket-qua.pdf", views.download_result, name="result"),
    path("ho-so/<uuid:public_id>/giay-to/<int:pk>/", views.download_file, name="file"),
    path("ho-so/<uuid:public_id>/<slug:kind>.pdf", views.sheet, name="sheet"),
    path("ho-so/<uuid:public_id>/<slug:action>/", views.act, name="act"),
]
