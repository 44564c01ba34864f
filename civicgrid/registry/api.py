"""Scoped ledger endpoints under /api/v1/registry/. Same selectors and services as the pages;
every response is built by ``registry.presenters`` (personal data masked).

Each operation declares its policy (docs/architecture.md "One way in"): ledger readers
(``LEDGER_READERS``) read, ledger writers (``WRITE_ROLES``) write; any other role gets 403
before anything is read. Lists come from ``visible_to``, single rows from ``access_*`` (404
outside the jurisdiction, as for a missing row), and every row a body refers to by ID is
fetched the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam

from civicgrid.accounts.choices import LEDGER_READERS, WRITE_ROLES
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, ApiPolicy, Policy, policy
from civicgrid.core.schemas import ErrorOut
from civicgrid.geo.models import Grid
from civicgrid.registry import selectors, services
from civicgrid.registry.presenters import (
    present_building,
    present_dwelling,
    present_household,
    present_organization,
    present_person,
)
from civicgrid.registry.schemas import (
    ERRORS,
    MAX_ID,
    BuildingIn,
    BuildingOut,
    BuildingPatch,
    BuildingPointsOut,
    DeceasedIn,
    DwellingIn,
    DwellingOut,
    DwellingPatch,
    HeadIn,
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
    QueryText,
    UnmaskIn,
    UnmaskOut,
)

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

router = Router(tags=["registry"])

F = TypeVar("F", bound=Callable[..., Any])

# The declarations (core.policy): who may call, and what kind of scoped data the call touches.
READ_LIST = policy(roles=LEDGER_READERS, scope=LIST)
READ_ONE = policy(roles=LEDGER_READERS, scope=OBJECT)
# Creating from a body: the rows it refers to (building, dwelling, household) are fetched
# through access_* and the new row's grid is checked by the service.
WRITE_NEW = policy(roles=WRITE_ROLES, scope=NONE)
WRITE_ONE = policy(roles=WRITE_ROLES, scope=OBJECT)


class ObjectFirst(ApiPolicy):
    """The operation's policy, and then the object its path names, fetched through ``access``
    before the body is read: ninja validates a body before the operation runs, so without this
    an outsider posting an empty body would learn "422" where everyone else outside the
    jurisdiction learns "404" (docs/architecture.md "One way in")."""

    def __init__(self, declared: Policy, access: Callable[..., Any], *, for_write: bool) -> None:
        super().__init__(declared)
        self.access = access
        self.for_write = for_write

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        match = request.resolver_match
        pk = str(match.kwargs.get("pk", "")) if match else ""
        if user is None or not pk.isdigit() or int(pk) > MAX_ID:
            return user  # a malformed ID is the path validation's 422
        try:
            self.access(user, int(pk), for_write=self.for_write)
        except Http404 as exc:
            raise HttpError(404, str(NOT_FOUND)) from exc
        except PermissionDenied as exc:
            raise HttpError(403, _("没有执行此操作的权限")) from exc
        return user


NOT_FOUND = gettext_lazy("未找到该记录,或该记录不在您的管辖范围内")

# IDs in the path and in filters are positive 64-bit integers: anything else is a 422, never
# an overflow in the database driver.
Pk = Annotated[int, PathParam(..., ge=1, le=MAX_ID)]
IdFilter = Annotated[int | None, QueryParam(None, ge=1, le=MAX_ID)]


def guarded(func: F) -> F:
    """Service errors as API errors: 422 with Chinese messages per field, 403 when refused,
    404 (in Chinese) when missing or out of jurisdiction, 429 when a limit is reached."""

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
        except services.DisclosureLimitReached as exc:
            raise HttpError(429, str(exc)) from exc
        except (PermissionDenied, selectors.SpecialGroupFilterRefused) as exc:
            raise HttpError(403, _("没有执行此操作的权限")) from exc
        except Http404 as exc:
            raise HttpError(404, str(NOT_FOUND)) from exc

    return cast(F, wrapper)


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _page(
    request: HttpRequest, rows: QuerySet[Any], present: Callable[..., dict[str, Any]]
) -> dict[str, Any]:
    page = paginate(request, rows)
    user = _user(request)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        # Past the count cap "count" is the cap: "capped" says so, and "next" is the cursor to
        # pass as ``after=`` (core.pagination).
        "capped": page.paginator.capped,
        "next": page.next_cursor,
        "items": [present(row, user=user) for row in page.object_list],
    }


def _set(payload: Any) -> dict[str, Any]:
    return cast(dict[str, Any], payload.dict(exclude_unset=True))


def _out(status: int, schema: Any) -> dict[int, Any]:
    return {status: schema, **ERRORS}


# ---------------------------------------------------------------------------------- buildings


@router.get(
    "/buildings", response=_out(200, PageOut[BuildingOut]), auth=READ_LIST.api, summary="楼栋列表"
)
@guarded
def building_list(request: HttpRequest, grid: QueryText = "", q: QueryText = "") -> dict[str, Any]:
    rows = selectors.building_list(_user(request), grid=grid, q=q)
    return _page(request, rows, present_building)


@router.get(
    "/buildings/points",
    response=_out(200, BuildingPointsOut),
    auth=READ_LIST.api,
    summary="地图范围内的楼栋点位(离线底图)",
    url_name="building_points",
)
@guarded
def building_points(request: HttpRequest, bbox: QueryText) -> dict[str, Any]:
    """bbox = west,south,east,north in WGS84 degrees."""
    try:
        west, south, east, north = (float(v) for v in bbox.split(","))
    except ValueError:
        raise DjangoValidationError(_("bbox 应为 西,南,东,北 四个经纬度数字")) from None
    features, truncated = selectors.building_points(
        _user(request), west=west, south=south, east=east, north=north
    )
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


@router.get(
    "/buildings/{pk}", response=_out(200, BuildingOut), auth=READ_ONE.api, summary="楼栋详情"
)
@guarded
def building_detail(request: HttpRequest, pk: Pk) -> Any:
    user = _user(request)
    return present_building(selectors.access_building(user, pk), user=user)


@router.post(
    "/buildings",
    response=_out(201, BuildingOut),
    auth=WRITE_NEW.api,
    summary="登记楼栋(按坐标自动定位网格)",
)
@guarded
def building_create(request: HttpRequest, payload: BuildingIn) -> Any:
    user = _user(request)
    building = services.building_create(actor=user, **payload.dict())
    return Status(201, present_building(building, user=user))


@router.patch(
    "/buildings/{pk}", response=_out(200, BuildingOut), auth=WRITE_ONE.api, summary="修改楼栋"
)
@guarded
def building_update(request: HttpRequest, pk: Pk, payload: BuildingPatch) -> Any:
    user = _user(request)
    building = selectors.access_building(user, pk, for_write=True)
    building = services.building_update(actor=user, building=building, **_set(payload))
    return present_building(building, user=user)


# ---------------------------------------------------------------------------------- dwellings


@router.get(
    "/dwellings", response=_out(200, PageOut[DwellingOut]), auth=READ_LIST.api, summary="房屋列表"
)
@guarded
def dwelling_list(
    request: HttpRequest, building: IdFilter = None, occupancy: QueryText = ""
) -> dict[str, Any]:
    rows = selectors.dwelling_list(_user(request), building=building, occupancy=occupancy)
    return _page(request, rows, present_dwelling)


@router.get(
    "/dwellings/{pk}", response=_out(200, DwellingOut), auth=READ_ONE.api, summary="房屋详情"
)
@guarded
def dwelling_detail(request: HttpRequest, pk: Pk) -> Any:
    user = _user(request)
    return present_dwelling(selectors.access_dwelling(user, pk), user=user)


@router.post("/dwellings", response=_out(201, DwellingOut), auth=WRITE_NEW.api, summary="登记房屋")
@guarded
def dwelling_create(request: HttpRequest, payload: DwellingIn) -> Any:
    user = _user(request)
    data = payload.dict()
    building = selectors.access_building(user, data.pop("building_id"), for_write=True)
    dwelling = services.dwelling_create(actor=user, building=building, **data)
    return Status(201, present_dwelling(dwelling, user=user))


@router.patch(
    "/dwellings/{pk}", response=_out(200, DwellingOut), auth=WRITE_ONE.api, summary="修改房屋"
)
@guarded
def dwelling_update(request: HttpRequest, pk: Pk, payload: DwellingPatch) -> Any:
    user = _user(request)
    dwelling = selectors.access_dwelling(user, pk, for_write=True)
    dwelling = services.dwelling_update(actor=user, dwelling=dwelling, **_set(payload))
    return present_dwelling(dwelling, user=user)


# --------------------------------------------------------------------------------- households


@router.get(
    "/households",
    response=_out(200, PageOut[HouseholdOut]),
    auth=READ_LIST.api,
    summary="住户列表",
)
@guarded
def household_list(request: HttpRequest, dwelling: IdFilter = None, kind: QueryText = "") -> Any:
    rows = selectors.household_list(_user(request), dwelling=dwelling, kind=kind)
    return _page(request, rows, present_household)


@router.get(
    "/households/{pk}", response=_out(200, HouseholdOut), auth=READ_ONE.api, summary="住户详情"
)
@guarded
def household_detail(request: HttpRequest, pk: Pk) -> Any:
    user = _user(request)
    return present_household(selectors.access_household(user, pk), user=user)


@router.post(
    "/households", response=_out(201, HouseholdOut), auth=WRITE_NEW.api, summary="登记住户"
)
@guarded
def household_create(request: HttpRequest, payload: HouseholdIn) -> Any:
    user = _user(request)
    data = payload.dict()
    dwelling = selectors.access_dwelling(user, data.pop("dwelling_id"), for_write=True)
    household = services.household_register(actor=user, dwelling=dwelling, **data)
    return Status(201, present_household(household, user=user))


@router.patch(
    "/households/{pk}",
    response=_out(200, HouseholdOut),
    auth=WRITE_ONE.api,
    summary="修改住户(含更换户主:原户主保留为成员)",
)
@guarded
def household_update(request: HttpRequest, pk: Pk, payload: HouseholdPatch) -> Any:
    user = _user(request)
    household = selectors.access_household(user, pk, for_write=True)
    data = _set(payload)
    if "head_id" in data:
        data["head"] = selectors.access_person(user, data.pop("head_id"), for_write=True)
    household = services.household_update(actor=user, household=household, **data)
    return present_household(household, user=user)


@router.post(
    "/households/{pk}/head",
    response=_out(200, HouseholdOut),
    auth=ObjectFirst(WRITE_ONE, selectors.access_household, for_write=True),
    summary="更换户主(原户主保留为成员,每户只有一名户主)",
)
@guarded
def household_set_head(request: HttpRequest, pk: Pk, payload: HeadIn) -> Any:
    user = _user(request)
    household = selectors.access_household(user, pk, for_write=True)
    head = selectors.access_person(user, payload.head_id, for_write=True)
    household = services.household_set_head(actor=user, household=household, head=head)
    return present_household(household, user=user)


# ------------------------------------------------------------------------------------- people


@router.get(
    "/persons", response=_out(200, PageOut[PersonOut]), auth=READ_LIST.api, summary="人口列表"
)
@guarded
def person_list(
    request: HttpRequest,
    grid: QueryText = "",
    residency: QueryText = "",
    status: QueryText = "living",
    household: IdFilter = None,
    tag: QueryText = "",
) -> Any:
    filters = selectors.PersonFilters(
        grid=grid, residency=residency, status=status, household=household, tag=tag
    )
    return _page(request, selectors.person_list(_user(request), filters), present_person)


@router.get(
    "/persons/{pk}",
    response=_out(200, PersonOut),
    auth=READ_ONE.api,
    summary="人员详情(敏感信息已脱敏)",
)
@guarded
def person_detail(request: HttpRequest, pk: Pk) -> Any:
    user = _user(request)
    return present_person(selectors.access_person(user, pk), user=user)


def _person_refs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Rows the body names by ID, each fetched through access_* (404 when out of scope)."""
    user = _user(request)
    household_id = data.pop("household_id", None)
    dwelling_id = data.pop("dwelling_id", None)
    if household_id:
        data["household"] = selectors.access_household(user, household_id, for_write=True)
    if dwelling_id:
        data["dwelling"] = selectors.access_dwelling(user, dwelling_id, for_write=True)
    grid_code = data.pop("grid_code", "")
    if grid_code:
        grid = Grid.objects.visible_to(user).current().filter(code=grid_code).first()
        if grid is None or not user.in_scope(grid.code, reads="ledgers"):
            raise DjangoValidationError({"grid_code": _("管辖范围内没有这个网格")})
        data["grid"] = grid
    return data


@router.post("/persons", response=_out(201, PersonOut), auth=WRITE_NEW.api, summary="登记人员")
@guarded
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    user = _user(request)
    data = _person_refs(request, payload.dict())
    return Status(201, present_person(services.person_create(actor=user, **data), user=user))


@router.patch(
    "/persons/{pk}", response=_out(200, PersonOut), auth=WRITE_ONE.api, summary="修改人员信息"
)
@guarded
def person_update(request: HttpRequest, pk: Pk, payload: PersonPatch) -> Any:
    user = _user(request)
    person = selectors.access_person(user, pk, for_write=True)
    person = services.person_update(actor=user, person=person, **_set(payload))
    return present_person(person, user=user)


@router.post(
    "/persons/{pk}/unmask",
    response={**_out(200, UnmaskOut), 429: ErrorOut},
    auth=ObjectFirst(READ_ONE, selectors.access_person, for_write=False),
    summary="查看完整敏感信息(需权限和事由,记审计,每小时限次)",
)
@guarded
def person_unmask(request: HttpRequest, pk: Pk, payload: UnmaskIn) -> Any:
    user = _user(request)
    person = selectors.access_person(user, pk)
    return services.person_unmask(actor=user, person=person, reason=payload.reason, request=request)


@router.post(
    "/dwellings/{pk}/move-in",
    response=_out(201, PersonOut),
    auth=ObjectFirst(WRITE_ONE, selectors.access_dwelling, for_write=True),
    summary="迁入登记(本辖区已有记录则迁移该记录;在其他辖区在住的人员需先由现居地办理迁出)",
)
@guarded
def person_move_in(request: HttpRequest, pk: Pk, payload: MoveInIn) -> Any:
    user = _user(request)
    dwelling = selectors.access_dwelling(user, pk, for_write=True)
    data = _person_refs(request, payload.dict())
    for name in ("dwelling", "grid"):
        data.pop(name, None)
    person = services.person_move_in(actor=user, dwelling=dwelling, **data)
    return Status(201, present_person(person, user=user))


@router.post(
    "/persons/{pk}/move-out",
    response=_out(200, PersonOut),
    auth=ObjectFirst(WRITE_ONE, selectors.access_person, for_write=True),
    summary="迁出(本平台内迁移或迁往外地)",
)
@guarded
def person_move_out(request: HttpRequest, pk: Pk, payload: MoveOutIn) -> Any:
    user = _user(request)
    person = selectors.access_person(user, pk, for_write=True)
    data = payload.dict()
    to_grid = None
    if data["to_grid_code"]:
        # Any current grid of the platform may receive a person, not only the user's own.
        to_grid = Grid.objects.current().filter(code=data["to_grid_code"]).first()
        if to_grid is None:
            raise DjangoValidationError({"to_grid_code": _("没有这个网格")})
    to_dwelling = None
    if data["to_dwelling_id"]:
        to_dwelling = selectors.access_dwelling(user, data["to_dwelling_id"], for_write=True)
    person = services.person_move_out(
        actor=user,
        person=person,
        moved_on=data["moved_on"],
        to_grid=to_grid,
        to_dwelling=to_dwelling,
        destination=data["destination"],
        note=data["note"],
    )
    return present_person(person, user=user)


@router.post(
    "/persons/{pk}/deceased",
    response=_out(200, PersonOut),
    auth=ObjectFirst(WRITE_ONE, selectors.access_person, for_write=True),
    summary="登记死亡",
)
@guarded
def person_deceased(request: HttpRequest, pk: Pk, payload: DeceasedIn) -> Any:
    user = _user(request)
    person = selectors.access_person(user, pk, for_write=True)
    person = services.person_mark_deceased(actor=user, person=person, died_on=payload.died_on)
    return present_person(person, user=user)


_VERIFIABLE = {
    "buildings": selectors.access_building,
    "dwellings": selectors.access_dwelling,
    "households": selectors.access_household,
    "persons": selectors.access_person,
    "organizations": selectors.access_organization,
}
# The pages name the kinds in the singular (/registry/verify/person/1/); accept both.
_VERIFIABLE.update({kind[:-1]: access for kind, access in list(_VERIFIABLE.items())})


@router.post(
    "/{kind}/{pk}/verify",
    response=_out(204, None),
    auth=WRITE_ONE.api,
    summary="现场核实(更新最近核实日期和核实人)",
)
@guarded
def record_verify(request: HttpRequest, kind: str, pk: Pk) -> Any:
    if kind not in _VERIFIABLE:
        raise Http404
    user = _user(request)
    record = _VERIFIABLE[kind](user, pk, for_write=True)
    services.record_verify(actor=user, record=record)
    return Status(204, None)


# ------------------------------------------------------------------------------ organisations


@router.get(
    "/organizations",
    response=_out(200, PageOut[OrganizationOut]),
    auth=READ_LIST.api,
    summary="组织列表",
)
@guarded
def organization_list(
    request: HttpRequest, grid: QueryText = "", kind: QueryText = "", q: QueryText = ""
) -> Any:
    rows = selectors.organization_list(_user(request), grid=grid, kind=kind, q=q)
    return _page(request, rows, present_organization)


@router.get(
    "/organizations/{pk}",
    response=_out(200, OrganizationOut),
    auth=READ_ONE.api,
    summary="组织详情",
)
@guarded
def organization_detail(request: HttpRequest, pk: Pk) -> Any:
    user = _user(request)
    return present_organization(selectors.access_organization(user, pk), user=user)


@router.post(
    "/organizations", response=_out(201, OrganizationOut), auth=WRITE_NEW.api, summary="登记组织"
)
@guarded
def organization_create(request: HttpRequest, payload: OrganizationIn) -> Any:
    user = _user(request)
    data = payload.dict()
    building_id = data.pop("building_id")
    if building_id:
        data["building"] = selectors.access_building(user, building_id, for_write=True)
    org = services.organization_create(actor=user, **data)
    return Status(201, present_organization(org, user=user))


@router.patch(
    "/organizations/{pk}",
    response=_out(200, OrganizationOut),
    auth=WRITE_ONE.api,
    summary="修改组织",
)
@guarded
def organization_update(request: HttpRequest, pk: Pk, payload: OrganizationPatch) -> Any:
    user = _user(request)
    org = selectors.access_organization(user, pk, for_write=True)
    org = services.organization_update(actor=user, organization=org, **_set(payload))
    return present_organization(org, user=user)
