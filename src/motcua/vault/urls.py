from django.urls import path

from . import views

app_name = "vault"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/tai-ve/", views.download, name="download"),
    path("<int:pk>/doi-ten/", views.rename, name="rename"),
    path("<int:pk>/xoa/", views.remove, name="remove"),
]
