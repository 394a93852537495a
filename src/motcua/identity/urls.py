from django.urls import path, re_path

from . import fake_views, views

app_name = "identity"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("dang-nhap/", views.sign_in, name="sign_in"),
    path("dang-nhap/cong-quoc-gia/", views.sso_start, name="sso_start"),
    path("dang-nhap/cong-quoc-gia/ket-qua/", views.oidc_callback, name="oidc_callback"),
    path("dang-nhap/dien-thoai/", views.phone_start, name="phone_start"),
    path("dang-nhap/dien-thoai/xac-nhan/", views.phone_verify, name="phone_verify"),
    path("dang-xuat/", views.sign_out, name="sign_out"),
    # The in-process identity provider of the demo and the tests (404 unless it is in use).
    path("sso-gia-lap/", fake_views.root, name="fake_provider_root"),
    path("sso-gia-lap/uy-quyen/", fake_views.authorize, name="fake_provider_authorize"),
    re_path(
        r"^sso-gia-lap/(?P<path>\.well-known/openid-configuration|jwks|token|userinfo)$",
        fake_views.endpoint,
        name="fake_provider_endpoint",
    ),
]
