from django.urls import URLPattern, URLResolver, path

from civicgrid.participation.joint import views

app_name = "jointmeetings"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.meeting_list, name="list"),
    path("candidates/", views.candidates, name="candidates"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/print/", views.meeting_print, name="print"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/convene/", views.convene, name="convene"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/close/", views.close, name="close"),
    path("items/<int:pk>/decide/", views.decide, name="decide"),
    path("items/<int:pk>/apply/", views.apply, name="apply"),
]
