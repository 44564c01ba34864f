from django.urls import URLPattern, URLResolver, include, path

app_name = "registry"
urlpatterns: list[URLPattern | URLResolver] = [
    path("io/", include("civicgrid.registry.io_urls")),
]
