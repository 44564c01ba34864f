from django.urls import URLPattern, URLResolver, path

from civicgrid.participation.teams import views

app_name = "gridteams"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.team_list, name="team_list"),
    path("<int:pk>/", views.team_detail, name="team_detail"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("party/", views.party_home, name="party_home"),
    path("party/coverage/", views.coverage, name="coverage"),
    path("party/coverage.xlsx", views.coverage_export, name="coverage_export"),
    path("party/<int:pk>/", views.party_detail, name="party_detail"),
    path("party/<int:pk>/links/", views.link_add, name="link_add"),
    path("party/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("party/links/<int:pk>/end/", views.link_end, name="link_end"),
]
