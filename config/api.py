"""The one ninja API, mounted at /api/v1/. Each app contributes a Router from its api.py."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import SessionAuth

from civicgrid.core.policy import ROLE_REFUSED, policy

api = NinjaAPI(
    title="CivicGrid API",
    version="1",
    description="社区网格化管理平台接口。所有数据按登录用户的管辖范围过滤。",
    auth=SessionAuth(),
    urls_namespace="api",
)


def _mount() -> None:
    from civicgrid.cases.api import router as cases_router
    from civicgrid.geo.api import router as geo_router
    from civicgrid.notifications.api import router as notifications_router
    from civicgrid.registry.api import router as registry_router

    api.add_router("/geo/", geo_router)
    api.add_router("/notifications/", notifications_router)
    api.add_router("/registry/", registry_router)
    api.add_router("/cases/", cases_router)


_mount()


@api.get("/health", auth=policy(public=True).api, tags=["system"])
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # Views and services raise Django's PermissionDenied; the API answers it as JSON like every
    # other refusal instead of falling through to a 500.
    return api.create_response(request, {"detail": str(exc) or ROLE_REFUSED}, status=403)
