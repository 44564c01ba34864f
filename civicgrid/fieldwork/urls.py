from django.urls import path

from civicgrid.fieldwork import offline_views, task_views, views, worklog_views

app_name = "fieldwork"
urlpatterns = [
    # The grid worker's phone app (docs/architecture.md "Offline field app").
    path("", offline_views.home, name="home"),
    path("report/", offline_views.quick_report, name="quick_report"),
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path("my-grid.geojson", offline_views.my_grid, name="my_grid"),
    path("patrol/", views.patrol, name="patrol"),
    path("patrols/<int:pk>/", views.detail, name="detail"),
    path("patrols/<int:pk>/report/", views.patrol_report, name="report"),
    path("calendar/", views.my_calendar, name="calendar"),
    path("calendar/<int:worker_id>/", views.worker_calendar, name="worker_calendar"),
    path("compliance/", views.compliance, name="compliance"),
    path("flags/", views.flags, name="flags"),
    path("onduty/", views.onduty, name="onduty"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path(
        "visits/<int:pk>/photos/<int:photo_pk>/<slug:size>/",
        views.visit_photo,
        name="visit_photo",
    ),
    path("worklog/", worklog_views.my_worklog, name="worklog"),
    path("worklog/worker/<int:worker_id>/", worklog_views.worker_worklog, name="worklog_worker"),
    path("worklog/grid/<int:grid_id>/", worklog_views.grid_worklog, name="worklog_grid"),
    path("worklog/stats/", worklog_views.stats, name="worklog_stats"),
    path("worklog/stats.xlsx", worklog_views.stats_xlsx, name="worklog_stats_xlsx"),
    path("tasks/", task_views.task_list, name="tasks"),
    path("tasks/new/", task_views.task_new, name="task_new"),
    path("tasks/<int:pk>/", task_views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/close/", task_views.task_close, name="task_close"),
    path("tasks/<int:pk>/withdraw/", task_views.task_withdraw, name="task_withdraw"),
    path("tasks/<int:pk>/remind/", task_views.task_remind, name="task_remind"),
    path("tasks/<int:pk>/items/add/", task_views.task_item_add, name="task_item_add"),
    path("tasks/<int:pk>/files/<int:file_pk>/", task_views.task_file, name="task_file"),
    path("tasks/items/<int:pk>/photo/", task_views.task_item_photo, name="task_item_photo"),
]
