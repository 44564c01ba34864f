"""/api/v1/assessment/: the same services as the pages (docs/architecture.md "Assessment").
Every operation declares its policy; figures are narrowed to the caller's jurisdiction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from civicgrid.assessment import params
from civicgrid.assessment.measures import MEASURES, local_tz
from civicgrid.assessment.models import Indicator, IndicatorWeight
from civicgrid.assessment.presenters import present_indicator, present_subject
from civicgrid.assessment.schemas import (
    DrillOut,
    IndicatorOut,
    RankingOut,
    RateOut,
    SeriesPointOut,
    TotalOut,
)
from civicgrid.assessment.selectors import (
    ASSESSMENT_READERS,
    BY_CHOICES,
    daily_series,
    rate_by,
    totals_by,
)
from civicgrid.assessment.services import (
    access_subject,
    drill_cases,
    is_frozen,
    level_indicators,
    levels_for,
    numerator_case_ids,
    period_end,
    ranking,
)
from civicgrid.cases.presenters import present_row
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.replica import reads_replica
from civicgrid.core.schemas import errors

router = Router(tags=["assessment"])

MAX_DRILL = 500


def _bad(exc: Exception) -> HttpError:
    return HttpError(422, str(exc))


def _span(start: date | None, end: date | None) -> tuple[date, date]:
    today = timezone.now().astimezone(local_tz()).date()
    try:
        return params.span(start, end, today - timedelta(days=29), today)
    except params.BadParam as exc:
        raise _bad(exc) from exc


def _measure(code: str) -> str:
    if code.lstrip("-") not in MEASURES:
        raise HttpError(422, f"未知的统计度量:{code}")
    return code


def _by(by: str) -> str:
    if by not in BY_CHOICES:
        raise HttpError(422, "分组只能是 " + "、".join(BY_CHOICES))
    return by


@router.get(
    "/indicators",
    response={200: list[IndicatorOut]},
    summary="考核指标目录(公式、方向、各层级权重)",
    auth=policy(roles=ASSESSMENT_READERS, scope=NONE).api,
)
@reads_replica
def indicators(request: HttpRequest) -> list[dict[str, Any]]:
    weights: dict[int, list[IndicatorWeight]] = {}
    for w in IndicatorWeight.objects.select_related("indicator"):
        weights.setdefault(w.indicator_id, []).append(w)
    return [present_indicator(i, weights.get(i.pk, [])) for i in Indicator.objects.all()]


@router.get(
    "/results",
    response={200: RankingOut, **errors(422)},
    summary="考核结果与排名(某周期某层级,仅本人管辖范围内的对象,排名在其中计算)",
    auth=policy(roles=ASSESSMENT_READERS, scope=LIST).api,
)
@reads_replica
def results(
    request: HttpRequest, kind: str = "month", period: str = "", level: str = ""
) -> dict[str, Any]:
    user: Any = request.user
    try:
        p = params.period(kind, period)
        lv = params.level(user, level)
    except params.BadParam as exc:
        raise _bad(exc) from exc
    indicators = level_indicators(lv)
    rows = ranking(user, p.kind, p.start, lv) if lv in levels_for(user) else []
    return {
        "kind": p.kind,
        "period_start": p.start,
        "period_end": period_end(p.kind, p.start),
        "level": lv,
        "frozen": is_frozen(p.kind, p.start),
        "rows": [present_subject(s, indicators) for s in rows],
    }


@router.get(
    "/drill",
    response={200: DrillOut, **errors(404, 422)},
    summary="考核明细:某对象某指标背后的事件(仅本人可查看的事件;管辖范围外的对象答 404)",
    auth=policy(roles=ASSESSMENT_READERS, scope=OBJECT).api,
)
@reads_replica
def drill(
    request: HttpRequest,
    indicator: str,
    subject: str,
    level: str = "",
    kind: str = "month",
    period: str = "",
) -> dict[str, Any]:
    user: Any = request.user
    try:
        p = params.period(kind, period)
        lv = params.level(user, level)
        ind = params.indicator(indicator)
    except params.BadParam as exc:
        raise _bad(exc) from exc
    key = subject[:20]
    found = access_subject(user, p.kind, p.start, lv, key)
    cases = drill_cases(user, ind, p.kind, p.start, lv, key)
    counted = numerator_case_ids(ind, p.kind, p.start, lv, key)
    return {
        "subject": present_subject(found, [ind]),
        "count": cases.count(),
        "cases": [{**present_row(c), "in_numerator": c.pk in counted} for c in cases[:MAX_DRILL]],
    }


@router.get(
    "/series",
    response={200: list[SeriesPointOut], **errors(422)},
    summary="某度量的逐日数值(默认近30天,缺的日子补0)",
    auth=policy(roles=ASSESSMENT_READERS, scope=LIST).api,
)
@reads_replica
def series(
    request: HttpRequest, measure: str, start: date | None = None, end: date | None = None
) -> list[dict[str, Any]]:
    low, high = _span(start, end)
    return [
        {"day": d, "value": v} for d, v in daily_series(request.user, _measure(measure), low, high)
    ]


@router.get(
    "/totals",
    response={200: list[TotalOut], **errors(422)},
    summary="某度量按分类/部门/网格/社区/街道汇总",
    auth=policy(roles=ASSESSMENT_READERS, scope=LIST).api,
)
@reads_replica
def totals(
    request: HttpRequest,
    measure: str,
    by: str = "category",
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    low, high = _span(start, end)
    rows = totals_by(request.user, _measure(measure), low, high, _by(by))
    return [{**r, "key": str(r["key"])} for r in rows]


@router.get(
    "/rates",
    response={200: list[RateOut], **errors(422)},
    summary="比率按对象汇总:分子、分母为度量,用逗号分隔,前加“-”表示减去",
    auth=policy(roles=ASSESSMENT_READERS, scope=LIST).api,
)
@reads_replica
def rates(
    request: HttpRequest,
    numerator: str,
    denominator: str,
    by: str = "department",
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    low, high = _span(start, end)
    num = [_measure(t.strip()) for t in numerator.split(",") if t.strip()]
    den = [_measure(t.strip()) for t in denominator.split(",") if t.strip()]
    if not num or not den:
        raise HttpError(422, "请填写分子和分母度量")
    rows = rate_by(request.user, num, den, low, high, _by(by))
    return [{**r, "key": str(r["key"])} for r in rows]


# The kept monthly reports (civicgrid/assessment/report_api.py).
from civicgrid.assessment.report_api import router as report_router  # noqa: E402

router.add_router("/reports", report_router)

# The analyses of the 分析研判 pages (civicgrid/assessment/analysis_api.py).
from civicgrid.assessment.analysis_api import router as analysis_router  # noqa: E402

router.add_router("/analysis", analysis_router)
