"""Reading the period, level, indicator and subject a page or an operation asks for. Bad
input raises ``BadParam`` with a Chinese message (answered 400 on pages, 422 in the API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from civicgrid.assessment.models import Indicator, Level, PeriodKind
from civicgrid.assessment.services import levels_for, parse_period

MAX_SPAN_DAYS = 366


class BadParam(ValueError):
    pass


@dataclass
class Period:
    kind: str
    start: date


def period(kind: str | None, value: str | None) -> Period:
    kind = kind or PeriodKind.MONTH
    if kind not in PeriodKind.values:
        raise BadParam(_("周期类型只能是 week、month、quarter 或 year"))
    try:
        return Period(kind, parse_period(value, kind))
    except ValueError as exc:
        raise BadParam(_("周期格式应为 YYYY-MM 或 YYYY-MM-DD")) from exc


def level(user: Any, value: str | None) -> str:
    allowed = levels_for(user)
    if not value:
        return allowed[0] if allowed else Level.WORKER
    if value not in Level.values:
        raise BadParam(_("层级只能是 worker、grid、community、street、district 或 department"))
    return value


def indicator(value: str | None) -> Indicator:
    found = Indicator.objects.filter(code=value or "", active=True).first()
    if found is None:
        raise BadParam(_("请选择有效的考核指标"))
    return found


def span(
    start: date | None, end: date | None, default_start: date, default_end: date
) -> tuple[date, date]:
    start, end = start or default_start, end or default_end
    if end < start:
        raise BadParam(_("结束日期不能早于开始日期"))
    if (end - start).days >= MAX_SPAN_DAYS:
        raise BadParam(_("查询区间不能超过 366 天"))
    return start, end
