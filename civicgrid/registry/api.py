"""Scoped ledger endpoints under /api/v1/registry/. Same selectors and services as the pages;
personal data masked in every response."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from civicgrid.core.pagination import paginate
from civicgrid.geo.models import Grid
from civicgrid.registry import selectors, services
from civicgrid.registry.schemas import (
    BuildingIn,
    BuildingOut,
    BuildingPatch,
    DeceasedIn,
    DwellingIn,
    DwellingOut,
    DwellingPatch,
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    MoveInIn,
    MoveOutIn,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
    PageOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    UnmaskIn,
    UnmaskOut,
)

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

router = Router(tags=["registry"])

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Service errors as API errors: 422 with Chinese messages per field, 403 when refused."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                detail = [
                    {"loc": ["body", name], "msg": message}
                    for name, messages in exc.message_dict.items()
                    for message in messages
                ]
            else:
                detail = [{"loc": ["body"], "msg": m} for m in exc.messages]
            raise NinjaValidationError(detail) from exc
        except (PermissionDenied, selectors.SpecialGroupFilterRefused) as exc:
            raise HttpError(403, "没有执行此操作的权限") from exc

    return cast(F, wrapper)


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _writer(request: HttpRequest) -> User:
    user = _user(request)
    if not user.can_write:
        raise PermissionDenied
    return user


def _page(request: HttpRequest, rows: QuerySet[Any]) -> dict[str, Any]:
    page = paginate(request, rows)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": list(page.object_list),
    }


def _set(payload: Any) -> dict[str, Any]:
    return payload.dict(exclude_unset=True)


# ---------------------------------------------------------------------------------- buildings


@router.get("/buildings", response=PageOut[BuildingOut], summary="楼栋列表")
def building_list(request: HttpRequest, grid: str = "", q: str = "") -> dict[str, Any]:
    return _page(request, selectors.building_list(_user(request), grid=grid, q=q))


@router.get("/buildings/{pk}", response=BuildingOut, summary="楼栋详情")
def building_detail(request: HttpRequest, pk: int) -> Any:
    return selectors.access_building(_user(request), pk)


@router.post("/buildings", response={201: BuildingOut}, summary="登记楼栋(按坐标自动定位网格)")
@guarded
def building_create(request: HttpRequest, payload: BuildingIn) -> Any:
    return Status(201, services.building_create(actor=_writer(request), **payload.dict()))


@router.patch("/buildings/{pk}", response=BuildingOut, summary="修改楼栋")
@guarded
def building_update(request: HttpRequest, pk: int, payload: BuildingPatch) -> Any:
    building = selectors.access_building(_user(request), pk, for_write=True)
    return services.building_update(actor=_user(request), building=building, **_set(payload))


# ---------------------------------------------------------------------------------- dwellings


@router.get("/dwellings", response=PageOut[DwellingOut], summary="房屋列表")
def dwelling_list(
    request: HttpRequest, building: int | None = None, occupancy: str = ""
) -> dict[str, Any]:
    rows = selectors.dwelling_list(_user(request), building=building, occupancy=occupancy)
    return _page(request, rows)


@router.get("/dwellings/{pk}", response=DwellingOut, summary="房屋详情")
def dwelling_detail(request: HttpRequest, pk: int) -> Any:
    return selectors.access_dwelling(_user(request), pk)


@router.post("/dwellings", response={201: DwellingOut}, summary="登记房屋")
@guarded
def dwelling_create(request: HttpRequest, payload: DwellingIn) -> Any:
    data = payload.dict()
    building = selectors.access_building(_user(request), data.pop("building_id"), for_write=True)
    return Status(201, services.dwelling_create(actor=_user(request), building=building, **data))


@router.patch("/dwellings/{pk}", response=DwellingOut, summary="修改房屋")
@guarded
def dwelling_update(request: HttpRequest, pk: int, payload: DwellingPatch) -> Any:
    dwelling = selectors.access_dwelling(_user(request), pk, for_write=True)
    return services.dwelling_update(actor=_user(request), dwelling=dwelling, **_set(payload))


# --------------------------------------------------------------------------------- households


@router.get("/households", response=PageOut[HouseholdOut], summary="住户列表")
def household_list(request: HttpRequest, dwelling: int | None = None, kind: str = "") -> Any:
    return _page(request, selectors.household_list(_user(request), dwelling=dwelling, kind=kind))


@router.get("/households/{pk}", response=HouseholdOut, summary="住户详情")
def household_detail(request: HttpRequest, pk: int) -> Any:
    return selectors.access_household(_user(request), pk)


@router.post("/households", response={201: HouseholdOut}, summary="登记住户")
@guarded
def household_create(request: HttpRequest, payload: HouseholdIn) -> Any:
    data = payload.dict()
    dwelling = selectors.access_dwelling(_user(request), data.pop("dwelling_id"), for_write=True)
    return Status(201, services.household_register(actor=_user(request), dwelling=dwelling, **data))


@router.patch("/households/{pk}", response=HouseholdOut, summary="修改住户(含指定户主)")
@guarded
def household_update(request: HttpRequest, pk: int, payload: HouseholdPatch) -> Any:
    household = selectors.access_household(_user(request), pk, for_write=True)
    data = _set(payload)
    if "head_id" in data:
        head_id = data.pop("head_id")
        data["head"] = selectors.access_person(_user(request), head_id) if head_id else None
    return services.household_update(actor=_user(request), household=household, **data)


# ------------------------------------------------------------------------------------- people


@router.get("/persons", response=PageOut[PersonOut], summary="人口列表")
@guarded
def person_list(
    request: HttpRequest,
    grid: str = "",
    residency: str = "",
    status: str = "living",
    household: int | None = None,
    tag: str = "",
) -> Any:
    filters = selectors.PersonFilters(
        grid=grid, residency=residency, status=status, household=household, tag=tag
    )
    return _page(request, selectors.person_list(_user(request), filters))


@router.get("/persons/{pk}", response=PersonOut, summary="人员详情(敏感信息已脱敏)")
def person_detail(request: HttpRequest, pk: int) -> Any:
    return selectors.access_person(_user(request), pk)


def _person_refs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    user = _user(request)
    if data.get("household_id"):
        data["household"] = selectors.access_household(user, data["household_id"], for_write=True)
    if data.get("dwelling_id"):
        data["dwelling"] = selectors.access_dwelling(user, data["dwelling_id"], for_write=True)
    grid_code = data.pop("grid_code", "")
    if grid_code:
        grid = Grid.objects.visible_to(user).current().filter(code=grid_code).first()
        if grid is None:
            raise DjangoValidationError({"grid_code": "管辖范围内没有这个网格"})
        data["grid"] = grid
    data.pop("household_id", None)
    data.pop("dwelling_id", None)
    return data


@router.post("/persons", response={201: PersonOut}, summary="登记人员")
@guarded
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    data = _person_refs(request, payload.dict())
    return Status(201, services.person_create(actor=_writer(request), **data))


@router.patch("/persons/{pk}", response=PersonOut, summary="修改人员信息")
@guarded
def person_update(request: HttpRequest, pk: int, payload: PersonPatch) -> Any:
    person = selectors.access_person(_user(request), pk, for_write=True)
    return services.person_update(actor=_user(request), person=person, **_set(payload))


@router.post(
    "/persons/{pk}/unmask", response=UnmaskOut, summary="查看完整敏感信息(需权限和事由,记审计)"
)
@guarded
def person_unmask(request: HttpRequest, pk: int, payload: UnmaskIn) -> Any:
    person = selectors.access_person(_user(request), pk)
    return services.person_unmask(
        actor=_user(request), person=person, reason=payload.reason, request=request
    )


@router.post(
    "/dwellings/{pk}/move-in",
    response={201: PersonOut},
    summary="迁入登记(按证件号码找到已有记录则迁移该记录)",
)
@guarded
def person_move_in(request: HttpRequest, pk: int, payload: MoveInIn) -> Any:
    dwelling = selectors.access_dwelling(_user(request), pk, for_write=True)
    data = _person_refs(request, payload.dict())
    for name in ("dwelling", "grid"):
        data.pop(name, None)
    return Status(201, services.person_move_in(actor=_writer(request), dwelling=dwelling, **data))


@router.post("/persons/{pk}/move-out", response=PersonOut, summary="迁出(本平台内迁移或迁往外地)")
@guarded
def person_move_out(request: HttpRequest, pk: int, payload: MoveOutIn) -> Any:
    user = _user(request)
    person = selectors.access_person(user, pk, for_write=True)
    data = payload.dict()
    to_grid = None
    if data["to_grid_code"]:
        # Any current grid of the platform may receive a person, not only the user's own.
        to_grid = Grid.objects.current().filter(code=data["to_grid_code"]).first()
        if to_grid is None:
            raise DjangoValidationError({"to_grid_code": "没有这个网格"})
    to_dwelling = None
    if data["to_dwelling_id"]:
        to_dwelling = selectors.access_dwelling(user, data["to_dwelling_id"], for_write=True)
    return services.person_move_out(
        actor=user,
        person=person,
        moved_on=data["moved_on"],
        to_grid=to_grid,
        to_dwelling=to_dwelling,
        destination=data["destination"],
        note=data["note"],
    )


@router.post("/persons/{pk}/deceased", response=PersonOut, summary="登记死亡")
@guarded
def person_deceased(request: HttpRequest, pk: int, payload: DeceasedIn) -> Any:
    person = selectors.access_person(_user(request), pk, for_write=True)
    return services.person_mark_deceased(
        actor=_user(request), person=person, died_on=payload.died_on
    )


_VERIFIABLE = {
    "buildings": selectors.access_building,
    "dwellings": selectors.access_dwelling,
    "households": selectors.access_household,
    "persons": selectors.access_person,
    "organizations": selectors.access_organization,
}


@router.post(
    "/{kind}/{pk}/verify", response={204: None}, summary="现场核实(更新最近核实日期和核实人)"
)
@guarded
def record_verify(request: HttpRequest, kind: str, pk: int) -> Any:
    if kind not in _VERIFIABLE:
        raise Http404
    record = _VERIFIABLE[kind](_user(request), pk, for_write=True)
    services.record_verify(actor=_user(request), record=record)
    return Status(204, None)


# ------------------------------------------------------------------------------ organisations


@router.get("/organizations", response=PageOut[OrganizationOut], summary="组织列表")
def organization_list(request: HttpRequest, grid: str = "", kind: str = "", q: str = "") -> Any:
    return _page(request, selectors.organization_list(_user(request), grid=grid, kind=kind, q=q))


@router.get("/organizations/{pk}", response=OrganizationOut, summary="组织详情")
def organization_detail(request: HttpRequest, pk: int) -> Any:
    return selectors.access_organization(_user(request), pk)


@router.post("/organizations", response={201: OrganizationOut}, summary="登记组织")
@guarded
def organization_create(request: HttpRequest, payload: OrganizationIn) -> Any:
    data = payload.dict()
    building_id = data.pop("building_id")
    if building_id:
        data["building"] = selectors.access_building(_user(request), building_id, for_write=True)
    return Status(201, services.organization_create(actor=_writer(request), **data))


@router.patch("/organizations/{pk}", response=OrganizationOut, summary="修改组织")
@guarded
def organization_update(request: HttpRequest, pk: int, payload: OrganizationPatch) -> Any:
    org = selectors.access_organization(_user(request), pk, for_write=True)
    return services.organization_update(actor=_user(request), organization=org, **_set(payload))
