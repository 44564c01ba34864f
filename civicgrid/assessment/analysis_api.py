"""/api/v1/assessment/analysis/: the analyses of the 分析研判 pages as JSON, computed by the
same functions (``assessment.analysis``), narrowed to the caller's jurisdiction
(docs/architecture.md "One way in"). Parameters out of range answer 422."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from civicgrid.assessment import analysis
from civicgrid.assessment.selectors import ASSESSMENT_READERS
from civicgrid.core.policy import LIST, policy
from civicgrid.core.replica import reads_replica
from civicgrid.core.schemas import errors

router = Router(tags=["assessment"])
READ = policy(roles=ASSESSMENT_READERS, scope=LIST).api


class GridRef(Schema):
    code: str
    name: str


class CaseRef(Schema):
    id: int
    number: str
    day: date


class HotspotOut(Schema):
    category_id: int
    category: str
    count: int
    lat: float
    lng: float
    radius_m: int = Field(description="中心到最远事件的距离(米)")
    first: date
    last: date
    grids: list[GridRef]
    cases: list[CaseRef]


class HotspotsOut(Schema):
    start: date
    end: date
    points: int = Field(description="参与分析的有位置事件数")
    truncated: bool
    clusters: list[HotspotOut]


class RecurringRow(Schema):
    grid_code: str
    grid: str
    category_id: int
    category: str
    recent: int
    before: int
    increase: int


class RecurringOut(Schema):
    recent_start: date
    before_start: date
    before_end: date
    end: date
    rows: list[RecurringRow]


class SeasonCell(Schema):
    month: int
    count: int
    above: bool = Field(description="高于该类月均")
    heat: int


class SeasonRow(Schema):
    category_id: int
    category: str
    total: int
    average: float
    cells: list[SeasonCell]
    series: list[int]


class SeasonalityOut(Schema):
    start: date
    end: date
    months: list[date]
    rows: list[SeasonRow]


class DepartmentRow(Schema):
    department_id: int
    department: str
    returned: int
    dispatched: int
    returned_before: int
    dispatched_before: int
    return_rate: float | None
    return_rate_before: float | None
    return_change: float | None
    reworked: int
    disposed: int
    reworked_before: int
    disposed_before: int
    rework_rate: float | None
    rework_rate_before: float | None
    rework_change: float | None
    rise: float | None


class DepartmentsOut(Schema):
    recent_start: date
    before_start: date
    before_end: date
    end: date
    rows: list[DepartmentRow]


class FallingRow(Schema):
    grid_code: str
    grid: str
    households: int
    coverage: float | None
    coverage_before: float | None
    coverage_change: float | None
    monthly: list[float | None]
    completeness: int | None = Field(description="台账完整率(当前值)")
    gaps: int | None
    completeness_before: int | None = Field(
        description="对比窗口内最近一次保存的台账完整率(每日快照;无快照时为空)"
    )
    completeness_change: int | None = Field(description="台账完整率变化(百分点)")
    completeness_monthly: list[int | None] = Field(description="各月最后一次快照的台账完整率")


class FallingOut(Schema):
    now_start: date
    end: date
    then_start: date
    then_end: date
    months: list[date]
    rows: list[FallingRow]


@router.get(
    "/hotspots",
    response={200: HotspotsOut, **errors(422)},
    summary="高发点位:同类事件在相近地点、相近时间的时空聚类(DBSCAN)",
    auth=READ,
)
@reads_replica
def hotspots(
    request: HttpRequest,
    radius: int = Query(100, ge=10, le=2000, description="距离不超过(米)"),
    days: int = Query(30, ge=1, le=365, description="间隔不超过(天)"),
    min_cases: int = Query(3, ge=2, le=100, description="至少件数"),
    window: int = Query(180, ge=7, le=1096, description="统计近多少天"),
) -> dict[str, Any]:
    result = analysis.hotspots(
        request.user, radius_m=radius, days=days, min_cases=min_cases, window_days=window
    )
    return asdict(result)


@router.get(
    "/recurring",
    response={200: RecurringOut, **errors(422)},
    summary="网格重复问题:各网格同类事件近期与上期件数对比",
    auth=READ,
)
@reads_replica
def recurring(
    request: HttpRequest,
    days: int = Query(90, ge=7, le=366),
    min_recent: int = Query(3, ge=1, le=1000),
) -> dict[str, Any]:
    return analysis.recurring(request.user, days=days, min_recent=min_recent)


@router.get(
    "/seasonality",
    response={200: SeasonalityOut, **errors(422)},
    summary="季节性:各类事件按日历月份的分布",
    auth=READ,
)
@reads_replica
def seasonality(
    request: HttpRequest,
    years: int = Query(3, ge=1, le=5),
    minor: bool = Query(False, description="按小类(默认大类)"),
) -> dict[str, Any]:
    return analysis.seasonality(request.user, years=years, by_minor=minor)


@router.get(
    "/departments",
    response={200: DepartmentsOut, **errors(422)},
    summary="部门回退率、返工率:近几个整月与之前同样月数对比",
    auth=READ,
)
@reads_replica
def departments(request: HttpRequest, months: int = Query(3, ge=1, le=12)) -> dict[str, Any]:
    return analysis.department_rates(request.user, months=months)


@router.get(
    "/falling",
    response={200: FallingOut, **errors(422)},
    summary="走访覆盖率或台账完整率下降的网格(台账完整率与每日快照对比)",
    auth=READ,
)
@reads_replica
def falling(
    request: HttpRequest,
    ago: int = Query(30, ge=7, le=180, description="与多少天前对比"),
    window: int = Query(30, ge=7, le=90, description="走访统计窗口(天)"),
) -> dict[str, Any]:
    return analysis.falling_grids(request.user, days_ago=ago, window=window)
