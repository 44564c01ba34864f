from django.urls import path, re_path

from civicgrid.participation import views

app_name = "participation"
urlpatterns = [
    path("", views.home, name="home"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/files/<int:file_pk>/", views.notice_file, name="notice_file"),
    path("cards/<int:pk>/photo/", views.card_photo, name="card_photo"),
    path("manage/notices/", views.manage_notices, name="manage_notices"),
    path("manage/notices/new/", views.manage_notice_new, name="manage_notice_new"),
    path("manage/notices/<int:pk>/", views.manage_notice, name="manage_notice"),
    path(
        "manage/notices/<int:pk>/<slug:action>/",
        views.manage_notice_act,
        name="manage_notice_act",
    ),
    path("manage/cards/", views.manage_cards, name="manage_cards"),
    path("manage/cards/<int:pk>/", views.manage_card, name="manage_card"),
    path("manage/residents/", views.manage_residents, name="manage_residents"),
    path(
        "manage/residents/<int:pk>/decide/",
        views.manage_resident_decide,
        name="manage_resident_decide",
    ),
    # Division codes: a community (12 digits) has a portal page; a street (9) or a community
    # has a disclosure page.
    re_path(r"^(?P<code>\d{12})/$", views.community, name="community"),
    re_path(r"^(?P<code>\d{9}|\d{12})/disclosure/$", views.disclosure, name="disclosure"),
]
