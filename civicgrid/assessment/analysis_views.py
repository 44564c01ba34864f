"""Analysis pages (分析研判): an index and five pages, each with a map or chart, a list and an
xlsx export (``?export=xlsx``). Figures come from ``assessment.analysis`` only; every page
declares its policy and reads through the viewer's jurisdiction (docs/architecture.md
"One way in")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from civicgrid.assessment import analysis, params
from civicgrid.assessment.selectors import ASSESSMENT_READERS
from civicgrid.core.policy import LIST, NONE, policy
from civicgrid.core.replica import reads_replica
from civicgrid.core.spreadsheet import safe_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bad(request: HttpRequest, exc: params.BadParam) -> HttpResponse:
    return render(request, "assessment/bad_request.html", {"message": str(exc)}, status=400)


def number(request: HttpRequest, name: str, default: int, low: int, high: int, label: str) -> int:
    """An integer query parameter within [low, high]; anything else is a ``BadParam`` that
    names the field, so a typo answers 400 with a message rather than a 500."""
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise params.BadParam(_("%(label)s应为整数") % {"label": label}) from exc
    if not low <= value <= high:
        raise params.BadParam(
            _("%(label)s应在 %(low)s 到 %(high)s 之间") % {"label": label, "low": low, "high": high}
        )
    return value


def xlsx_response(
    filename: str, title: str, headers: Iterable[str], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """One sheet, every cell through ``safe_cell`` (rule 7: names typed by people become text,
    never formulas)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(safe_row(headers))
    for row in rows:
        sheet.append(safe_row(row))
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


def _pct(value: float | None) -> Any:
    return "" if value is None else value


def _page(
    request: HttpRequest,
    template: str,
    build: Callable[[], dict[str, Any]],
) -> HttpResponse:
    try:
        context = build()
    except params.BadParam as exc:
        return _bad(request, exc)
    if isinstance(context, HttpResponse):
        return context
    query = request.GET.copy()
    query["export"] = "xlsx"
    context["export_query"] = query.urlencode()
    return render(request, template, context)


@require_GET
@policy(roles=ASSESSMENT_READERS, scope=NONE)
def index(request: HttpRequest) -> HttpResponse:
    """The five analyses, each with what it answers."""
    return render(request, "assessment/analysis_index.html", {})


@require_GET
@policy(roles=ASSESSMENT_READERS, scope=LIST)
@reads_replica
def hotspots(request: HttpRequest) -> HttpResponse:
    """Places where one category of case keeps coming back (clusters in space and time)."""
    user: Any = request.user

    def build() -> Any:
        radius = number(request, "radius", 100, 10, 2000, _("距离(米)"))
        days = number(request, "days", 30, 1, 365, _("间隔天数"))
        minimum = number(request, "min", 3, 2, 100, _("最少件数"))
        window = number(request, "window", 180, 7, 1096, _("统计天数"))
        result = analysis.hotspots(
            user, radius_m=radius, days=days, min_cases=minimum, window_days=window
        )
        if _wants_xlsx(request):
            return xlsx_response(
                "hotspots.xlsx",
                _("高发点位"),
                [
                    _("分类"),
                    _("件数"),
                    _("中心纬度"),
                    _("中心经度"),
                    _("半径(米)"),
                    _("首次"),
                    _("最近"),
                    _("网格"),
                    _("事件编号"),
                ],
                (
                    [
                        h.category,
                        h.count,
                        h.lat,
                        h.lng,
                        h.radius_m,
                        h.first,
                        h.last,
                        "、".join(f"{g['name']}({g['code']})" for g in h.grids),
                        "、".join(c["number"] for c in h.cases),
                    ]
                    for h in result.clusters
                ),
            )
        detail = reverse("cases:detail", args=[0])
        return {
            "result": result,
            "radius": radius,
            "days": days,
            "minimum": minimum,
            "window": window,
            "map_data": [
                {
                    "lat": h.lat,
                    "lng": h.lng,
                    "radius": h.radius_m,
                    "label": f"{h.category} · {h.count}{_('件')} · {h.first:%m-%d}—{h.last:%m-%d}",
                }
                for h in result.clusters
            ],
            "case_url": detail,
            "center": settings.MAP_CENTER,
        }

    return _page(request, "assessment/analysis_hotspots.html", build)


@require_GET
@policy(roles=ASSESSMENT_READERS, scope=LIST)
@reads_replica
def recurring(request: HttpRequest) -> HttpResponse:
    """Grids where one category recurs: the last N days against the N before."""
    user: Any = request.user

    def build() -> Any:
        days = number(request, "days", 90, 7, 366, _("统计天数"))
        minimum = number(request, "min", 3, 1, 1000, _("最少件数"))
        result = analysis.recurring(user, days=days, min_recent=minimum)
        if _wants_xlsx(request):
            return xlsx_response(
                "recurring.xlsx",
                _("网格重复问题"),
                [_("网格编码"), _("网格"), _("分类"), _("近期件数"), _("上期件数"), _("增加")],
                (
                    [
                        r["grid_code"],
                        r["grid"],
                        r["category"],
                        r["recent"],
                        r["before"],
                        r["increase"],
                    ]
                    for r in result["rows"]
                ),
            )
        top = result["rows"][:15]
        return {
            "result": result,
            "days": days,
            "minimum": minimum,
            "chart": {
                "labels": [f"{r['grid']} · {r['category']}" for r in top],
                "recent": [r["recent"] for r in top],
                "before": [r["before"] for r in top],
                "recent_label": _("近期"),
                "before_label": _("上期"),
            },
        }

    return _page(request, "assessment/analysis_recurring.html", build)


MONTH_LABELS = [f"{m}月" for m in range(1, 13)]


@require_GET
@policy(roles=ASSESSMENT_READERS, scope=LIST)
@reads_replica
def seasonality(request: HttpRequest) -> HttpResponse:
    """Cases per category and calendar month; months above the category's average marked."""
    user: Any = request.user

    def build() -> Any:
        years = number(request, "years", 3, 1, 5, _("年数"))
        by_minor = request.GET.get("level") == "minor"
        result = analysis.seasonality(user, years=years, by_minor=by_minor)
        if _wants_xlsx(request):
            return xlsx_response(
                "seasonality.xlsx",
                _("季节性"),
                [_("分类"), *MONTH_LABELS, _("合计"), _("月均")],
                (
                    [r["category"], *[c["count"] for c in r["cells"]], r["total"], r["average"]]
                    for r in result["rows"]
                ),
            )
        top = result["rows"][:6]
        return {
            "result": result,
            "years": years,
            "by_minor": by_minor,
            "month_labels": MONTH_LABELS,
            "chart": {
                "labels": [f"{m:%Y-%m}" for m in result["months"]],
                "series": [{"name": r["category"], "data": r["series"]} for r in top],
            },
        }

    return _page(request, "assessment/analysis_seasonality.html", build)


@require_GET
@policy(roles=ASSESSMENT_READERS, scope=LIST)
@reads_replica
def departments(request: HttpRequest) -> HttpResponse:
    """Departments whose 回退率 or 返工率 rose: the last three whole months against the three
    before, from the assessment facts."""
    user: Any = request.user

    def build() -> Any:
        months = number(request, "months", 3, 1, 12, _("月数"))
        result = analysis.department_rates(user, months=months)
        if _wants_xlsx(request):
            return xlsx_response(
                "departments.xlsx",
                _("部门回退返工"),
                [
                    _("部门"),
                    _("回退数"),
                    _("派遣数"),
                    _("回退率(%)"),
                    _("上期回退率(%)"),
                    _("回退率变化"),
                    _("返工数"),
                    _("处置数"),
                    _("返工率(%)"),
                    _("上期返工率(%)"),
                    _("返工率变化"),
                ],
                (
                    [
                        r["department"],
                        r["returned"],
                        r["dispatched"],
                        _pct(r["return_rate"]),
                        _pct(r["return_rate_before"]),
                        _pct(r["return_change"]),
                        r["reworked"],
                        r["disposed"],
                        _pct(r["rework_rate"]),
                        _pct(r["rework_rate_before"]),
                        _pct(r["rework_change"]),
                    ]
                    for r in result["rows"]
                ),
            )
        top = result["rows"][:15]
        return {
            "result": result,
            "months": months,
            "chart": {
                "unit": _("百分点"),
                "labels": [r["department"] for r in top],
                "series": [
                    {"name": _("回退率变化"), "data": [r["return_change"] for r in top]},
                    {"name": _("返工率变化"), "data": [r["rework_change"] for r in top]},
                ],
            },
        }

    return _page(request, "assessment/analysis_departments.html", build)


@require_GET
@policy(roles=ASSESSMENT_READERS, scope=LIST)
@reads_replica
def falling(request: HttpRequest) -> HttpResponse:
    """Grids whose visit coverage or ledger completeness fell (completeness against its stored
    daily snapshots)."""
    user: Any = request.user

    def build() -> Any:
        days_ago = number(request, "ago", 30, 7, 180, _("对比天数"))
        window = number(request, "window", 30, 7, 90, _("走访统计窗口(天)"))
        result = analysis.falling_grids(user, days_ago=days_ago, window=window)
        months = [f"{m:%Y-%m}" for m in result["months"]]
        if _wants_xlsx(request):
            return xlsx_response(
                "falling.xlsx",
                _("网格台账与走访"),
                [
                    _("网格编码"),
                    _("网格"),
                    _("户数"),
                    _("走访覆盖率(%)"),
                    _("对比时覆盖率(%)"),
                    _("变化"),
                    *[_("%(month)s 覆盖率(%%)") % {"month": m} for m in months],
                    _("台账完整率(当前)"),
                    _("台账问题数"),
                    _("对比时台账完整率"),
                    _("台账完整率变化"),
                    *[_("%(month)s 台账完整率(%%)") % {"month": m} for m in months],
                ],
                (
                    [
                        r["grid_code"],
                        r["grid"],
                        r["households"],
                        _pct(r["coverage"]),
                        _pct(r["coverage_before"]),
                        _pct(r["coverage_change"]),
                        *[_pct(v) for v in r["monthly"]],
                        _pct(r["completeness"]),
                        _pct(r["gaps"]),
                        _pct(r["completeness_before"]),
                        _pct(r["completeness_change"]),
                        *[_pct(v) for v in r["completeness_monthly"]],
                    ]
                    for r in result["rows"]
                ),
            )
        top = [r for r in result["rows"] if r["coverage_change"] is not None][:10]
        return {
            "result": result,
            "ago": days_ago,
            "window": window,
            "month_labels": months,
            "chart": {
                "labels": months,
                "series": [{"name": r["grid"], "data": r["monthly"]} for r in top],
            },
        }

    return _page(request, "assessment/analysis_falling.html", build)
