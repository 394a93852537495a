from django.urls import path

from . import views_statistics as views

app_name = "reports_statistics"

urlpatterns = [
    path("", views.statistics_page, name="index"),
    path("tai-ve.<slug:fmt>", views.statistics_file, name="file"),
    path("da-luu/", views.stored_list, name="stored"),
    path("da-luu/<int:pk>/tai-ve/", views.stored_file, name="stored_file"),
]
