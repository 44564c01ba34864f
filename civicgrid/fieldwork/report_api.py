"""拍照上报 from the phone's outbox: ``POST /api/v1/fieldwork/reports`` (multipart).

The grid worker's phone may have filed the report in a basement hours ago; the outbox sends it
when the network is back and again if the answer was lost. So the operation is idempotent on
the client's key (``core.idempotency.run_once``, docs/architecture.md "Offline field app"): the
same (worker, client_key) gives one case and the same answer every time. The case is taken in
by the one intake, ``cases.services.case_report`` (channel 网格员上报), photos through the case
photo service; every refusal is a 4xx with a Chinese ``detail`` that the outbox shows next to
the waiting item as 发送失败.
"""

from __future__ import annotations

from typing import Any

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.files import UploadedFile

from civicgrid.accounts.choices import Role
from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Category
from civicgrid.cases.photos import photo_validate
from civicgrid.cases.services import case_report
from civicgrid.core.idempotency import run_once
from civicgrid.core.limits import body_limit
from civicgrid.core.policy import NONE, policy
from civicgrid.core.schemas import errors
from civicgrid.geo.index import grid_index

report_router = Router(tags=["fieldwork"])

SCOPE = "fieldwork.report"
# A phone report carries a few photos; the outbox shrinks each before storing it.
MAX_REPORT_PHOTOS = 3
REPORT_MAX_BYTES = MAX_REPORT_PHOTOS * int(settings.CASE_PHOTO_MAX_BYTES) + 256 * 1024
# How far outside the city's grids a fix may lie (degrees, about 5 km): a point there is still
# a place in the city (a road between two communities); further away it is a wrong fix.
CITY_MARGIN_DEG = 0.05


class ReportOut(Schema):
    id: int
    number: str
    client_key: str
    message: str


def _in_city(lat: float, lng: float) -> bool:
    index = grid_index()
    if not len(index.geoms):
        return True
    west, south, east, north = shapely.total_bounds(index.geoms)
    return (
        west - CITY_MARGIN_DEG <= lng <= east + CITY_MARGIN_DEG
        and south - CITY_MARGIN_DEG <= lat <= north + CITY_MARGIN_DEG
    )


def _place(lat: float | None, lng: float | None, address: str) -> None:
    if (lat is None) != (lng is None):
        raise HttpError(422, _("经纬度需同时填写"))
    if lat is not None and lng is not None:
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise HttpError(422, _("坐标超出范围:纬度 -90~90,经度 -180~180"))
        if not _in_city(lat, lng):
            raise HttpError(422, _("定位不在本市范围内,请重新定位或填写地点"))
    elif not address.strip():
        raise HttpError(422, _("还没有取得定位,请填写地点"))


@report_router.post(
    "/reports",
    response={200: ReportOut, 201: ReportOut, **errors(400, 413, 422)},
    summary="拍照上报(网格员手机离线队列;同一 client_key 重复提交只生成一个事件,返回同一编号,状态 200)",
    auth=policy(roles={Role.GRID_WORKER}, scope=NONE).api,
)
@decorate_view(body_limit(REPORT_MAX_BYTES))
def file_report(
    request: HttpRequest,
    category: Form[int],
    description: Form[str],
    client_key: Form[str],
    lat: Form[float | None] = None,
    lng: Form[float | None] = None,
    address: Form[str] = "",
    urgent: Form[bool] = False,
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    user: Any = request.user
    key = client_key.strip()
    if not key or len(key) > 64:
        raise HttpError(422, _("客户端标识 client_key 应为 1~64 个字符"))
    files = list(photos or [])
    if len(files) > MAX_REPORT_PHOTOS:
        raise HttpError(422, _("最多上传 %(n)s 张照片") % {"n": MAX_REPORT_PHOTOS})
    found = Category.objects.current().minors().filter(pk=category).first()
    if found is None:
        raise HttpError(422, _("请选择有效的事件小类"))
    _place(lat, lng, address)
    for upload in files:
        try:
            photo_validate(upload)
        except ValidationError as exc:
            raise HttpError(422, "".join(exc.messages)) from exc

    def act() -> tuple[int, dict[str, Any]]:
        case = case_report(
            channel=Channel.GRID_WORKER,
            category=found,
            description=description,
            lat=lat,
            lng=lng,
            address=address,
            photos=files,
            actor=user,
            urgent=urgent,
        )
        message = _("已上报,事件编号 %(number)s。") % {"number": case.number}
        if not any(case.grid_code.startswith(code) for code in user.scope_codes):
            # Reported away from their own grids: the case goes to the desk where it is, which
            # the worker does not see; say so now rather than let it seem lost.
            where = case.grid.name if case.grid is not None else case.grid_code
            message += _(
                "位置在%(where)s,不在您的网格内,已交由当地受理,您在本人事件列表中看不到它。"
            ) % {"where": where}
        return 201, {"id": case.pk, "number": case.number, "client_key": key, "message": message}

    try:
        outcome = run_once(user=user, scope=SCOPE, key=key, action=act)
    except ValidationError as exc:
        raise HttpError(422, ";".join(exc.messages)) from exc
    # A repeat is not a new resource: the stored answer, with 200 (as for visits).
    return Status(200 if outcome.replayed else outcome.status, outcome.body)
