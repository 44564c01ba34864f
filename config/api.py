"""The one ninja API, mounted at /api/v1/. Each app contributes a Router from its api.py."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import SessionAuth

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


@api.get("/health", auth=None, tags=["system"])
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
