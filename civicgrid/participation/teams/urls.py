from django.urls import URLPattern, URLResolver

app_name = "gridteams"
urlpatterns: list[URLPattern | URLResolver] = []
