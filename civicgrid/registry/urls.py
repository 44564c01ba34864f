from django.urls import URLPattern, URLResolver, include, path

from civicgrid.registry import views

app_name = "registry"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("grids/", views.grid_list, name="grids"),
    path("grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("buildings/new/", views.building_create, name="building_create"),
    path("buildings/<int:pk>/", views.building_detail, name="building_detail"),
    path("buildings/<int:pk>/edit/", views.building_edit, name="building_edit"),
    path(
        "buildings/<int:building_pk>/dwellings/new/", views.dwelling_create, name="dwelling_create"
    ),
    path("dwellings/<int:pk>/", views.dwelling_detail, name="dwelling_detail"),
    path("dwellings/<int:pk>/edit/", views.dwelling_edit, name="dwelling_edit"),
    path(
        "dwellings/<int:dwelling_pk>/households/new/",
        views.household_create,
        name="household_create",
    ),
    path("dwellings/<int:dwelling_pk>/move-in/", views.person_move_in, name="person_move_in"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:household_pk>/members/new/", views.person_create, name="person_create"),
    path("households/<int:pk>/head/", views.household_set_head, name="household_set_head"),
    path("people/<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("people/", views.person_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/unmask/", views.person_unmask, name="person_unmask"),
    path("people/<int:pk>/move-out/", views.person_move_out, name="person_move_out"),
    path("people/<int:pk>/deceased/", views.person_deceased, name="person_deceased"),
    path("people/<int:pk>/tags/new/", views.person_tag_add, name="person_tag_add"),
    path("tags/<int:pk>/end/", views.tag_end, name="tag_end"),
    path("verify/<str:kind>/<int:pk>/", views.record_verify, name="verify"),
    path("moves/", views.move_list, name="moves"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("completeness/", views.completeness, name="completeness"),
    path("gaps/", views.gap_list, name="gaps"),
    path("io/", include("civicgrid.registry.io.urls")),
]
