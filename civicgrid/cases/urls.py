from django.urls import path

from civicgrid.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.home, name="home"),
    path("work/", views.work, name="work"),
    path("new/", views.report, name="report"),
    path("new/duplicates/", views.duplicates, name="duplicates"),
    path("new/suggest/", views.suggest, name="suggest"),
    path("list/", views.case_list, name="list"),
    path("list/map.geojson", views.map_data, name="map_data"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/photos/<int:photo_pk>/<slug:size>/", views.photo, name="photo"),
    path("submit/", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("track/", views.track, name="track"),
]
