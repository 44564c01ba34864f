from django.urls import path

from civicgrid.accounts import otp_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("manage/", views.account_list, name="account_list"),
    path("manage/new/", views.account_create, name="account_create"),
    path("password/", views.password_change, name="password_change"),
    path("otp/setup/", otp_views.otp_setup, name="otp_setup"),
    path("otp/verify/", otp_views.otp_verify, name="otp_verify"),
    path("manage/<int:pk>/otp-reset/", otp_views.account_otp_reset, name="account_otp_reset"),
    path("manage/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("manage/<int:pk>/password/", views.account_password_reset, name="account_password_reset"),
    path("manage/<int:pk>/toggle/", views.account_toggle, name="account_toggle"),
]
