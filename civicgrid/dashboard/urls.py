from django.urls import path

from civicgrid.dashboard import screen_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("screen/", screen_views.screen, name="screen"),
    path("screen/data.json", screen_views.screen_json, name="screen_data"),
]
