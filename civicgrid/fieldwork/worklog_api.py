"""Work-log API (/api/v1/fieldwork/worklog/): a worker's or a grid's timeline a day or a week at
a time, and the counts per worker, through the same services as the pages
(``civicgrid.fieldwork.worklog``) and with the same rules: TRACK_READERS, a grid worker only
their own work, 404 outside the jurisdiction, another person's log audited
(docs/architecture.md "Field work")."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from civicgrid.accounts.choices import TRACK_READERS
from civicgrid.core.policy import LIST, OBJECT, policy
from civicgrid.core.replica import reads_replica
from civicgrid.core.schemas import errors
from civicgrid.fieldwork import worklog

worklog_router = Router(tags=["fieldwork"])

MAX_PK = 2**63 - 1


class TimelineIn(Schema):
    day: date | None = Field(None, description="最新的一天(YYYY-MM-DD),不填为今天")
    span: Literal["day", "week"] = Field("day", description="day:一天;week:截至该日的 7 天")


class EntryOut(Schema):
    at: datetime
    kind: str = Field(
        description="patrol / visit / case_report / case_verify / ledger_edit / task_item"
    )
    kind_label: str
    worker_id: int
    grid_code: str
    title: str = Field(description="记录摘要;人员姓名已脱敏")
    url: str = Field(description="记录页面地址;已删除或您无权查看的记录为空")


class TimelineOut(Schema):
    first: date = Field(description="本页最早的一天")
    last: date = Field(description="本页最新的一天")
    older: date = Field(description="上一页(更早)的 day 参数")
    newer: date | None = Field(description="下一页(更新)的 day 参数;已到今天为空")
    total: int = Field(description="本页时间段内的记录数")
    truncated: bool = Field(description="记录过多时只返回最新的一部分")
    entries: list[EntryOut]


class StatsIn(Schema):
    period: Literal["day", "week", "month"] = Field("day", description="统计周期:日、周、月")
    # ``date`` names the query parameter; the type is spelt ``dt.date`` so the field does not
    # shadow it for the next one.
    date: dt.date | None = Field(None, description="统计的日期(所在周期),不填为今天")
    until: dt.date | None = Field(
        None, description=f"截止日期(可选,最多 {worklog.MAX_PERIODS} 个周期)"
    )


class StatsRowOut(Schema):
    worker_id: int
    worker: str = Field(description="网格员姓名")
    grids: str = Field(description="负责网格")
    community: str = Field(description="所属社区")
    period_start: date
    period_end: date = Field(description="统计周期的最后一天")
    period: str = Field(description="统计周期,如 2026-05-06、2026-05")
    patrols: int = Field(description="巡查次数")
    patrol_minutes: int = Field(description="巡查时长(分钟)")
    distance_km: float = Field(description="巡查里程(公里)")
    visits: int = Field(description="入户走访")
    cases_reported: int = Field(description="上报事件")
    cases_verified: int = Field(description="核查事件(通过或返工)")
    ledger_edits: int = Field(description="台账维护(新增、修改、删除)")
    task_items: int = Field(description="任务事项")


def _checked_day(day: date | None) -> date:
    today = timezone.localdate()
    if day is None:
        return today
    if not 2000 <= day.year <= 2100:
        raise HttpError(422, "日期应在 2000 至 2100 年之间")
    return min(day, today)


def _timeline(
    request: HttpRequest, params: TimelineIn, *, workers: list[int] | None, grid_prefix: str | None
) -> worklog.Timeline:
    return worklog.timeline(
        workers=workers,
        grid_prefix=grid_prefix,
        day=_checked_day(params.day),
        span=params.span,
        within=worklog.reader_codes(request.user),
        viewer=request.user,
    )


def _out(page: worklog.Timeline) -> dict[str, Any]:
    return {
        "first": page.first,
        "last": page.last,
        "older": page.older,
        "newer": page.newer,
        "total": page.total,
        "truncated": page.truncated,
        "entries": page.entries,
    }


@worklog_router.get(
    "/workers/{worker_id}",
    response={200: TimelineOut, **errors(404, 422)},
    summary="某位网格员的民情日志(本人或管辖范围内,按日/按周,最新在前)",
    auth=policy(roles=TRACK_READERS, scope=OBJECT).api,
)
def worker_log(request: HttpRequest, worker_id: int, params: Query[TimelineIn]) -> dict[str, Any]:
    user: Any = request.user
    if not 0 < worker_id <= MAX_PK:
        raise HttpError(404, "未找到该网格员")
    worker = worklog.access_worklog_worker(user, worker_id)
    page = _timeline(request, params, workers=[worker.pk], grid_prefix=None)
    if worker.pk != user.pk:
        worklog.audit_view(
            user, worker, who=str(worker), start=page.first, end=page.last, request=request
        )
    return _out(page)


@worklog_router.get(
    "/grids/{grid_id}",
    response={200: TimelineOut, **errors(404, 422)},
    summary="某个网格的民情日志(网格员只看本人的记录)",
    auth=policy(roles=TRACK_READERS, scope=OBJECT).api,
)
def grid_log(request: HttpRequest, grid_id: int, params: Query[TimelineIn]) -> dict[str, Any]:
    user: Any = request.user
    if not 0 < grid_id <= MAX_PK:
        raise HttpError(404, "未找到该网格")
    found = worklog.access_worklog_grid(user, grid_id)
    page = _timeline(request, params, workers=found.workers, grid_prefix=found.grid.code)
    if found.workers is None:
        worklog.audit_view(
            user, found.grid, who=found.grid.name, start=page.first, end=page.last, request=request
        )
    return _out(page)


@worklog_router.get(
    "/stats",
    response={200: list[StatsRowOut], **errors(422)},
    summary="工作量统计:管辖范围内每位网格员每个周期一行(网格员只看本人)",
    auth=policy(roles=TRACK_READERS, scope=LIST).api,
)
@reads_replica
def stats(request: HttpRequest, params: Query[StatsIn]) -> list[dict[str, Any]]:
    day_from = _checked_day(params.date)
    day_to = _checked_day(params.until) if params.until else day_from
    try:
        rows = worklog.stats(request.user, period=params.period, day_from=day_from, day_to=day_to)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return [row.as_dict() for row in rows]
