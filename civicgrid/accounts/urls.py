from django.urls import path

from civicgrid.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("audit/", views.audit_list, name="audit"),
    path("manage/", views.account_list, name="account_list"),
    path("manage/new/", views.account_create, name="account_create"),
    path("password/", views.password_change, name="password_change"),
    path("manage/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("manage/<int:pk>/password/", views.account_password_reset, name="account_password_reset"),
    path("manage/<int:pk>/toggle/", views.account_toggle, name="account_toggle"),
]
