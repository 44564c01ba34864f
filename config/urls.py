from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

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
    path("", include("civicgrid.dashboard.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
