"""Work-log pages (民情日志): the grid worker's own timeline on the phone, a worker's or a grid's
timeline for those who supervise field work, and the counts per worker with their xlsx export.

The log shows patrols, which are location data (PIPL art. 28): the pages are for TRACK_READERS,
a grid worker reads only their own work, a supervisor only their jurisdiction's (404 beyond it),
and reading another person's log or exporting the counts is audited (docs/architecture.md
"Field work", "One way in").
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicgrid.accounts.choices import TRACK_READERS, Role
from civicgrid.accounts.models import User
from civicgrid.core.policy import LIST, OBJECT, policy
from civicgrid.core.replica import reads_replica
from civicgrid.fieldwork import worklog

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKERS = frozenset({Role.GRID_WORKER})


def _span(request: HttpRequest) -> str:
    span = request.GET.get("span", "day")
    return span if span in worklog.SPANS else "day"


def _page_day(request: HttpRequest) -> Any:
    day, bad = worklog.parse_day(request.GET.get("day"))
    if bad:
        messages.warning(request, _("日期格式应为 YYYY-MM-DD,已显示今天。"))
    # The future holds no work yet; a page is never later than today.
    return min(day, timezone.localdate())


def _timeline_page(
    request: HttpRequest,
    *,
    title: str,
    workers: list[int] | None,
    grid_prefix: str | None,
    audit_target: Any = None,
    audit_who: str = "",
) -> HttpResponse:
    span = _span(request)
    page = worklog.timeline(
        workers=workers,
        grid_prefix=grid_prefix,
        day=_page_day(request),
        span=span,
        within=worklog.reader_codes(request.user),
        viewer=request.user,
    )
    if audit_target is not None:
        worklog.audit_view(
            request.user,
            audit_target,
            who=audit_who,
            start=page.first,
            end=page.last,
            request=request,
        )
    if workers is None:
        # A grid's log names who did each piece of work (one query for the page).
        ids = {entry["worker_id"] for entry in page.entries}
        names = {
            u.pk: str(u) for u in User.objects.filter(pk__in=ids).only("full_name", "username")
        }
        for entry in page.entries:
            entry["worker"] = names.get(entry["worker_id"], "")
    return render(
        request,
        "fieldwork/worklog.html",
        {
            "title": title,
            "page": page,
            "span": span,
            "other_span": "week" if span == "day" else "day",
        },
    )


@require_GET
@policy(roles=WORKERS, scope=LIST)
def my_worklog(request: HttpRequest) -> HttpResponse:
    """The grid worker's own log, a day (or a week) at a time, newest first."""
    user: Any = request.user
    return _timeline_page(request, title=_("我的民情日志"), workers=[user.pk], grid_prefix=None)


@require_GET
@policy(roles=TRACK_READERS, scope=OBJECT)
def worker_worklog(request: HttpRequest, worker_id: int) -> HttpResponse:
    """One worker's log: the worker themselves, or a supervisor of their jurisdiction (audited);
    anyone else 404."""
    user: Any = request.user
    worker = worklog.access_worklog_worker(user, worker_id)
    own = worker.pk == user.pk
    return _timeline_page(
        request,
        title=_("我的民情日志") if own else _("%(name)s 的民情日志") % {"name": worker},
        workers=[worker.pk],
        grid_prefix=None,
        audit_target=None if own else worker,
        audit_who=str(worker),
    )


@require_GET
@policy(roles=TRACK_READERS, scope=OBJECT)
def grid_worklog(request: HttpRequest, grid_id: int) -> HttpResponse:
    """A grid's log: every grid worker's work in it for a supervisor (audited), a grid worker's
    own work in their grid; a grid outside the jurisdiction 404."""
    user: Any = request.user
    found = worklog.access_worklog_grid(user, grid_id)
    return _timeline_page(
        request,
        title=_("%(grid)s 民情日志") % {"grid": found.grid.name},
        workers=found.workers,
        grid_prefix=found.grid.code,
        audit_target=found.grid if found.workers is None else None,
        audit_who=found.grid.name,
    )


def _stats_params(request: HttpRequest) -> tuple[str, Any, Any, list[str]]:
    """period, first day, last day and the problems found (each replaced by a default)."""
    problems = []
    period = request.GET.get("period", "day")
    if period not in worklog.PERIODS:
        problems.append(_("统计周期应为 day、week 或 month,已按日统计。"))
        period = "day"
    day_from, bad = worklog.parse_day(request.GET.get("date"))
    if bad:
        problems.append(_("日期格式应为 YYYY-MM-DD,已显示今天。"))
    day_to, bad = worklog.parse_day(request.GET.get("until"), default=day_from)
    if bad:
        problems.append(_("截止日期格式应为 YYYY-MM-DD,已只统计一个周期。"))
    try:
        worklog.periods_between(period, day_from, day_to)
    except ValueError as exc:
        problems.append(str(exc) + _(",已只统计一个周期。"))
        day_to = day_from
    return period, day_from, day_to, problems


@require_GET
@policy(roles=TRACK_READERS, scope=LIST)
@reads_replica
def stats(request: HttpRequest) -> HttpResponse:
    """Counts per worker of the jurisdiction per day, week or month (a grid worker: their own)."""
    period, day_from, day_to, problems = _stats_params(request)
    for problem in problems:
        messages.warning(request, problem)
    rows = worklog.stats(request.user, period=period, day_from=day_from, day_to=day_to)
    query = f"period={period}&date={day_from:%Y-%m-%d}"
    if day_to != day_from:
        query += f"&until={day_to:%Y-%m-%d}"
    return render(
        request,
        "fieldwork/worklog_stats.html",
        {
            "rows": [row.as_dict() for row in rows],
            "columns": [(key, str(label)) for key, label in worklog.COUNT_COLUMNS],
            "period": period,
            "periods": [
                ("day", _("按日")),
                ("week", _("按周")),
                ("month", _("按月")),
            ],
            "day_from": day_from,
            "day_to": day_to,
            "query": query,
        },
    )


@require_GET
@policy(roles=TRACK_READERS, scope=LIST)
@reads_replica
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    """The same counts as a workbook (audited)."""
    period, day_from, day_to, _problems = _stats_params(request)
    content = worklog.stats_export(
        request.user, period=period, day_from=day_from, day_to=day_to, request=request
    )
    filename = f"工作量统计-{period}-{day_from:%Y%m%d}.xlsx"
    return HttpResponse(
        content,
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
