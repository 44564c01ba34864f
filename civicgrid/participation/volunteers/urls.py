from django.urls import URLPattern, URLResolver

app_name = "volunteers"
urlpatterns: list[URLPattern | URLResolver] = []
