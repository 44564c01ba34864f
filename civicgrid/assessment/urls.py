from django.urls import path

from civicgrid.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("drill/", views.drill, name="drill"),
    path("indicators/", views.indicators, name="indicators"),
]
