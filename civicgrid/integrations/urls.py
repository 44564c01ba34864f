from django.urls import URLPattern, path

from civicgrid.integrations import views

app_name = "integrations"
urlpatterns: list[URLPattern] = [
    path("keys/", views.key_list, name="key_list"),
    path("keys/new/", views.key_create, name="key_create"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
]
