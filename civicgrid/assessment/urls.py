from django.urls import path

from civicgrid.assessment import analysis_views, report_views, views

app_name = "assessment"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("drill/", views.drill, name="drill"),
    path("indicators/", views.indicators, name="indicators"),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/generate/", report_views.report_generate, name="report_generate"),
    path("reports/<int:pk>/<str:fmt>/", report_views.report_download, name="report_download"),
    path("analysis/", analysis_views.index, name="analysis"),
    path("analysis/hotspots/", analysis_views.hotspots, name="analysis_hotspots"),
    path("analysis/recurring/", analysis_views.recurring, name="analysis_recurring"),
    path("analysis/seasonality/", analysis_views.seasonality, name="analysis_seasonality"),
    path("analysis/departments/", analysis_views.departments, name="analysis_departments"),
    path("analysis/falling/", analysis_views.falling, name="analysis_falling"),
]
