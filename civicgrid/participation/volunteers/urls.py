from django.urls import path

from civicgrid.participation.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.home, name="home"),
    path("certificate/<int:year>/", views.certificate, name="certificate"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("activities/<int:pk>/signup/", views.activity_signup, name="activity_signup"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/checkin/", views.activity_checkin, name="activity_checkin"),
    path("activities/<int:pk>/checkout/", views.activity_checkout, name="activity_checkout"),
    path("manage/", views.manage, name="manage"),
    path("manage/volunteers/", views.manage_volunteers, name="manage_volunteers"),
    path("manage/volunteers/new/", views.manage_volunteer_new, name="manage_volunteer_new"),
    path("manage/volunteers/<int:pk>/", views.manage_volunteer, name="manage_volunteer"),
    path(
        "manage/volunteers/<int:pk>/certificate/<int:year>/",
        views.manage_certificate,
        name="manage_certificate",
    ),
    path("manage/teams/new/", views.manage_team_new, name="manage_team_new"),
    path("manage/teams/<int:pk>/", views.manage_team, name="manage_team"),
    path("manage/activities/new/", views.manage_activity_new, name="manage_activity_new"),
    path("manage/activities/<int:pk>/", views.manage_activity, name="manage_activity"),
    path(
        "manage/activities/<int:pk>/edit/",
        views.manage_activity_edit,
        name="manage_activity_edit",
    ),
    path(
        "manage/activities/<int:pk>/signup/",
        views.manage_activity_signup,
        name="manage_activity_signup",
    ),
    path(
        "manage/activities/<int:pk>/attendance/",
        views.manage_activity_attendance,
        name="manage_activity_attendance",
    ),
    path(
        "manage/activities/<int:pk>/close/",
        views.manage_activity_close,
        name="manage_activity_close",
    ),
    path(
        "manage/activities/<int:pk>/cancel/",
        views.manage_activity_cancel,
        name="manage_activity_cancel",
    ),
    path("manage/signups/<int:pk>/hours/", views.manage_signup_hours, name="manage_signup_hours"),
]
