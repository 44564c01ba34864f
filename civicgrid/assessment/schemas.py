from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class WeightOut(Schema):
    level: str
    level_label: str
    weight: float


class IndicatorOut(Schema):
    code: str
    name: str
    formula: str
    direction: str
    direction_label: str
    unit: str
    description: str
    active: bool
    levels: list[str]
    weights: list[WeightOut]


class FigureOut(Schema):
    indicator: str
    name: str
    numerator: int
    denominator: int
    value: float | None
    score: float | None


class SubjectOut(Schema):
    key: str
    label: str
    score: float | None
    grade: str
    grade_css: str
    rank: int | None
    previous_rank: int | None
    change: int | None
    figures: list[FigureOut]


class RankingOut(Schema):
    kind: str
    period_start: date
    period_end: date
    level: str
    frozen: bool
    rows: list[SubjectOut]


class DrillCaseOut(Schema):
    id: int
    number: str
    category_name: str
    grid_code: str
    status: str
    status_label: str
    department: str
    reported_at: datetime
    in_numerator: bool


class DrillOut(Schema):
    subject: SubjectOut
    count: int
    cases: list[DrillCaseOut]


class SeriesPointOut(Schema):
    day: date
    value: int


class TotalOut(Schema):
    key: str
    label: str
    value: int


class RateOut(Schema):
    key: str
    label: str
    numerator: int
    denominator: int
    rate: float | None
