from django.urls import path

from civicgrid.geo import views

app_name = "geo"
urlpatterns = [
    path("map/", views.grid_map, name="map"),
    path("basemap.json", views.basemap, name="basemap"),
    path("regions/", views.region_list, name="regions"),
    path("grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("grids/<int:pk>/split/", views.grid_split_view, name="grid_split"),
    path("grids/<int:pk>/merge/", views.grid_merge_view, name="grid_merge"),
]
