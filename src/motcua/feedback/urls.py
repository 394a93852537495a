"""Included at the site root: public pages in Vietnamese paths, staff pages under /noi-bo/."""

from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("danh-gia/", views.ratings, name="ratings"),
    path("danh-gia/co-quan/<int:pk>/", views.agency_ratings, name="agency_ratings"),
    path("danh-gia/<uuid:public_id>/", views.rate, name="rate"),
    path("phan-anh-kien-nghi/", views.feedback_list, name="feedback_list"),
    path("phan-anh-kien-nghi/gui/", views.feedback_new, name="feedback_new"),
    path("phan-anh-kien-nghi/tra-cuu/", views.feedback_lookup, name="feedback_lookup"),
    path("hoi-dap/", views.faq, name="faq"),
    path("noi-bo/phan-anh-kien-nghi/", views.staff_feedback, name="staff_feedback"),
    path(
        "noi-bo/phan-anh-kien-nghi/<str:code>/",
        views.staff_feedback_answer,
        name="staff_feedback_answer",
    ),
    path("noi-bo/hoi-dap/", views.staff_faq, name="staff_faq"),
    path("noi-bo/hoi-dap/<int:pk>/", views.staff_faq_edit, name="staff_faq_edit"),
]
