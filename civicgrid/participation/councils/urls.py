from django.urls import URLPattern, URLResolver, path

from civicgrid.participation.councils import views

app_name = "councils"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("new/", views.council_new, name="council_new"),
    path("<int:pk>/", views.council, name="council"),
    path("<int:pk>/<slug:action>/", views.council_act, name="council_act"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/<slug:action>/", views.meeting_act, name="meeting_act"),
    path("items/<int:pk>/<slug:action>/", views.item_act, name="item_act"),
    path("resolutions/", views.resolutions, name="resolutions"),
    path("resolutions/<int:pk>/", views.resolution, name="resolution"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/community/", views.proposal_community, name="proposal_community"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/<slug:action>/", views.proposal_act, name="proposal_act"),
]
