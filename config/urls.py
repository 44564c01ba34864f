from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from civicgrid.core.policy import Policy, policy
from config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("civicgrid.accounts.urls")),
    path("geo/", include("civicgrid.geo.urls")),
    path("notifications/", include("civicgrid.notifications.urls")),
    path("registry/", include("civicgrid.registry.urls")),
    path("cases/", include("civicgrid.cases.urls")),
    path("fieldwork/", include("civicgrid.fieldwork.urls")),
    path("assessment/", include("civicgrid.assessment.urls")),
    path("community/", include("civicgrid.participation.urls")),
    path("councils/", include("civicgrid.participation.councils.urls")),
    path("volunteers/", include("civicgrid.participation.volunteers.urls")),
    path("teams/", include("civicgrid.participation.teams.urls")),
    path("joint-meetings/", include("civicgrid.participation.joint.urls")),
    path("integrations/", include("civicgrid.integrations.urls")),
    path("open311/v2/", include("civicgrid.integrations.open311_urls")),
    path("", include("civicgrid.dashboard.urls")),
]
# Stored files (photos, uploads) have no public URL: each is served by a view that checks
# access first (civicgrid/core/files.py, docs/architecture.md rule 7).

# Endpoints that come from Django or a library, whose views are not ours to decorate. Their
# policy is declared here so the generated matrix holds them to it like every other endpoint.
# The admin site (system administrator only) is enforced by CivicAdminSite.has_permission.
EXTERNAL_POLICIES: dict[str, Policy] = {
    "set_language": policy(public=True),
    "api:openapi-json": policy(public=True),
    "api:openapi-view": policy(public=True),
}
