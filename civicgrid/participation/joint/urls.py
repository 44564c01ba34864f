from django.urls import URLPattern, URLResolver

app_name = "jointmeetings"
urlpatterns: list[URLPattern | URLResolver] = []
