from django.urls import path

from . import views

app_name = "postal"

urlpatterns = [
    path("thong-bao/", views.delivery_notice, name="delivery_notice"),
]
