"""Monthly assessment reports of a street or a district, kept as xlsx and a printable A4 PDF
(docs/architecture.md "Assessment").

- Figures come from ``DailyFact`` through the same grouping (``selectors._grouped``), the same
  indicator definitions (``Indicator`` rows: numerator and denominator measures) and the same
  ``combine``/``rate`` as the ranking page: a report never counts a figure a second way. For a
  frozen month, the figures of a place the snapshot kept (``PeriodResult``) are taken from it,
  so the report of a published month says what the published ranking says even after late
  events moved the facts.
- Department rows count the department's cases *in the report's region* (the ranking shows
  a department over its whole work), and only the figures whose measures carry a department
  (立案数 has none: a case is accepted before it reaches a department).
- Each place row carries its month score and grade as the ranking page gives them (the kept
  ones of a frozen month, else computed by ``compute_results`` over the same facts) and its
  rank among the rows of its sheet. Department rows have none: they count only the region's
  cases, while the ranking scores a department's whole work.
- A report is one ``AssessmentReport`` row per (region, month): asking again queues the same
  row; the background task writes new files and deletes the old ones once the row points at
  the new ones.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django_tasks import task

from civicgrid.assessment.measures import MEASURES, local_tz
from civicgrid.assessment.models import (
    LEVEL_CODE_LENGTH,
    REPORT_READERS,
    AssessmentReport,
    DailyFact,
    Indicator,
    Level,
    PeriodKind,
    PeriodResult,
    ReportStatus,
)
from civicgrid.assessment.selectors import _grouped, combine, labels, rate
from civicgrid.assessment.services import (
    TOTAL,
    assign_ranks,
    compute_results,
    is_closed,
    period_end,
    period_start,
)
from civicgrid.core.spreadsheet import safe_cell
from civicgrid.geo.models import Grid, Region

logger = logging.getLogger(__name__)

__all__ = ["REPORT_READERS"]

MONTH = PeriodKind.MONTH
# A report still queued or running after this long is taken to be lost (a worker stopped):
# asking again queues it once more.
STALE_AFTER = timedelta(minutes=30)
TREND_MONTHS = 12


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    measure: str = ""  # a count of one measure
    indicator: str = ""  # a rate defined by an Indicator row

    @property
    def is_rate(self) -> bool:
        return bool(self.indicator)


# The figures the local government publishes each month, in its order.
FIGURES: tuple[Figure, ...] = (
    Figure("accepted", "立案数", measure="accepted"),
    Figure("due_to_close", "应结案数", measure="due_to_close"),
    Figure("close_rate", "结案率", indicator="close_rate"),
    Figure("close_on_time_rate", "按期结案率", indicator="close_on_time_rate"),
    Figure("rework_rate", "返工率", indicator="rework_rate"),
    Figure("extension_rate", "延期率", indicator="extension_rate"),
    Figure("satisfaction_rate", "满意率", indicator="satisfaction_rate"),
)

SHEET_TITLES: dict[str, str] = {
    Level.STREET: "街道",
    Level.COMMUNITY: "社区",
    Level.GRID: "网格",
    Level.DEPARTMENT: "部门",
}
_BY: dict[str, str] = {
    Level.STREET: "street",
    Level.COMMUNITY: "community",
    Level.GRID: "grid",
    Level.DEPARTMENT: "department",
    Level.DISTRICT: "district",
}


@dataclass
class Cell:
    value: float | int | None
    numerator: int = 0
    denominator: int = 0


@dataclass
class Row:
    key: str
    label: str
    cells: dict[str, Cell] = field(default_factory=dict)
    score: float | None = None
    grade: str = ""
    rank: int | None = None  # among the rows of its sheet (equal scores share a rank)


@dataclass
class Sheet:
    level: str
    title: str
    rows: list[Row]
    total: Row | None = None


@dataclass
class ReportData:
    region_code: str
    region_name: str
    level: str
    month: date
    generated_at: datetime
    frozen: bool
    total: Row
    sheets: list[Sheet]
    trend: list[tuple[date, int, int]]  # (month, 立案数, 结案数)


# --- figures --------------------------------------------------------------------------------


def _indicators() -> dict[str, Indicator]:
    codes = [f.indicator for f in FIGURES if f.indicator]
    return {i.code: i for i in Indicator.objects.filter(code__in=codes)}


def _measure_codes(indicators: dict[str, Indicator]) -> set[str]:
    codes = {f.measure for f in FIGURES if f.measure}
    for ind in indicators.values():
        codes |= {t.lstrip("-") for t in list(ind.numerator) + list(ind.denominator)}
    return codes


def _has_department(code: str) -> bool:
    measure = MEASURES.get(code)
    return (
        measure is not None
        and bool(measure.parts)
        and all(p.department is not None for p in measure.parts)
    )


def _applies(figure: Figure, level: str, indicators: dict[str, Indicator]) -> bool:
    if level != Level.DEPARTMENT:
        return True
    if figure.measure:
        return _has_department(figure.measure)
    ind = indicators.get(figure.indicator)
    return ind is not None and all(
        _has_department(t.lstrip("-")) for t in list(ind.numerator) + list(ind.denominator)
    )


def _cells(values: dict[str, int], level: str, indicators: dict[str, Indicator]) -> dict[str, Cell]:
    cells: dict[str, Cell] = {}
    for f in FIGURES:
        if not _applies(f, level, indicators):
            cells[f.code] = Cell(None)
        elif f.measure:
            cells[f.code] = Cell(values.get(f.measure, 0))
        else:
            ind = indicators.get(f.indicator)
            if ind is None:
                cells[f.code] = Cell(None)
                continue
            num, den = combine(ind.numerator, values), combine(ind.denominator, values)
            cells[f.code] = Cell(rate(num, den), num, den)
    return cells


def _frozen_over(
    rows: list[Row], level: str, start: date, indicators: dict[str, Indicator]
) -> bool:
    """Put the snapshot's figures over the counted ones where the month was frozen for these
    subjects; True when anything was frozen."""
    if level == Level.DEPARTMENT or not rows:
        return False
    kept = PeriodResult.objects.filter(
        period_kind=MONTH,
        period_start=start,
        level=level,
        frozen=True,
        subject_key__in=[r.key for r in rows],
        indicator__in=list(indicators),
    )
    found = False
    by_key = {r.key: r for r in rows}
    for result in kept:
        found = True
        row = by_key[result.subject_key]
        ind = indicators[result.indicator]
        for f in FIGURES:
            if f.indicator == result.indicator:
                row.cells[f.code] = Cell(result.value, result.numerator, result.denominator)
            # A count that is exactly an indicator's denominator is the kept denominator.
            elif f.measure and list(ind.denominator) == [f.measure]:
                row.cells[f.code] = Cell(result.denominator)
    return found


def _scored(rows: list[Row], level: str, start: date, facts: QuerySet[DailyFact]) -> None:
    """Give place rows the month's score and grade the ranking page shows: a frozen month's
    kept ones, else computed from the same facts (a place's facts all lie in the report's
    region, so counting within it changes nothing). Then rank them among themselves."""
    if level == Level.DEPARTMENT or not rows:
        return
    found = {
        r.subject_key: (r.score, r.grade)
        for r in PeriodResult.objects.filter(
            period_kind=MONTH,
            period_start=start,
            level=level,
            frozen=True,
            indicator=TOTAL,
            subject_key__in=[r.key for r in rows],
        )
    }
    if len(found) < len(rows):
        computed = compute_results(MONTH, start, level, facts)
        found = {s.key: (s.score, s.grade) for s in computed} | found
    for row in rows:
        row.score, row.grade = found.get(row.key, (None, ""))
    assign_ranks(rows)


def _sums(
    facts: QuerySet[DailyFact], start: date, end: date, by: str, codes: Iterable[str]
) -> dict[Any, dict[str, int]]:
    rows = (
        _grouped(facts.filter(day__gte=start, day__lte=end, measure__in=list(codes)), by)
        .values("key", "measure")
        .order_by()
        .annotate(total=Sum("value"))
    )
    out: dict[Any, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r["key"], {})[r["measure"]] = int(r["total"])
    return out


def _subjects(region: Region, level: str, found: Iterable[Any]) -> dict[Any, str]:
    """Every current place of ``level`` in the region (a quiet community is a row of zeros),
    plus any subject the facts name; labels as the ranking page shows them."""
    keys: set[Any] = set(found)
    if level == Level.GRID:
        keys |= set(
            Grid.objects.filter(code__startswith=region.code, retired_on__isnull=True).values_list(
                "code", flat=True
            )
        )
    elif level in (Level.COMMUNITY, Level.STREET):
        keys |= set(
            Region.objects.filter(
                code__startswith=region.code, level=level, retired_on__isnull=True
            ).values_list("code", flat=True)
        )
    if level in LEVEL_CODE_LENGTH:
        keys = {k for k in keys if len(str(k)) == LEVEL_CODE_LENGTH[level]}
    return labels(_BY[level], keys)


def _sheet(
    region: Region,
    level: str,
    facts: QuerySet[DailyFact],
    start: date,
    codes: set[str],
    indicators: dict[str, Indicator],
) -> tuple[Sheet, bool]:
    sums = _sums(facts, start, period_end(MONTH, start), _BY[level], codes)
    names = _subjects(region, level, sums)
    if level == Level.DEPARTMENT:
        names = {k: v for k, v in names.items() if k in sums}
    rows = [
        Row(str(key), label, _cells(sums.get(key, {}), level, indicators))
        for key, label in names.items()
    ]
    frozen = _frozen_over(rows, level, start, indicators)
    _scored(rows, level, start, facts)
    rows.sort(key=lambda r: r.key if level != Level.DEPARTMENT else r.label)
    return Sheet(level, SHEET_TITLES[level], rows), frozen


def _trend(facts: QuerySet[DailyFact], month: date) -> list[tuple[date, int, int]]:
    first = month
    for _n in range(TREND_MONTHS - 1):
        first = period_start(MONTH, first - timedelta(days=1))
    rows = (
        facts.filter(
            day__gte=first, day__lte=period_end(MONTH, month), measure__in=["accepted", "closed"]
        )
        .values("day", "measure")
        .order_by()
        .annotate(total=Sum("value"))
    )
    per: dict[tuple[date, str], int] = {}
    for r in rows:
        key = (period_start(MONTH, r["day"]), r["measure"])
        per[key] = per.get(key, 0) + int(r["total"])
    out = []
    current = first
    while current <= month:
        out.append((current, per.get((current, "accepted"), 0), per.get((current, "closed"), 0)))
        current = period_start(MONTH, current + timedelta(days=32))
    return out


def report_level(region: Region) -> str:
    if len(region.code) == LEVEL_CODE_LENGTH[Level.DISTRICT]:
        return Level.DISTRICT
    if len(region.code) == LEVEL_CODE_LENGTH[Level.STREET]:
        return Level.STREET
    raise ValueError("只有街道和区县有月度考核报告")


def _place_row(
    code: str,
    label: str,
    level: str,
    facts: QuerySet[DailyFact],
    start: date,
    codes: set[str],
    indicators: dict[str, Indicator],
) -> tuple[Row, bool]:
    """One place's own row of the month (its sums, the snapshot over them where frozen) and
    whether it was frozen: the report's total row, and the disclosure's row (``place_row``)."""
    own = _sums(facts, start, period_end(MONTH, start), _BY[level], codes).get(code, {})
    row = Row(code, label, _cells(own, level, indicators))
    frozen = _frozen_over([row], level, start, indicators)
    _scored([row], level, start, facts)
    row.rank = None  # a total is not ranked against anything
    return row, frozen


def build_report(region: Region, month: date) -> ReportData:
    """The figures of one street or district for one month."""
    level = report_level(region)
    start = period_start(MONTH, month)
    indicators = _indicators()
    codes = _measure_codes(indicators)
    facts = DailyFact.objects.filter(region_code__startswith=region.code)
    below = (
        [Level.STREET, Level.DEPARTMENT]
        if level == Level.DISTRICT
        else [Level.COMMUNITY, Level.GRID, Level.DEPARTMENT]
    )
    sheets = []
    frozen = False
    for sub in below:
        sheet, kept = _sheet(region, sub, facts, start, codes, indicators)
        frozen = frozen or kept
        sheets.append(sheet)
    total, kept = _place_row(region.code, f"{region}合计", level, facts, start, codes, indicators)
    frozen = kept or frozen
    sheets[0].total = total
    return ReportData(
        region_code=region.code,
        region_name=str(region),
        level=level,
        month=start,
        generated_at=timezone.now().astimezone(local_tz()),
        frozen=frozen,
        total=total,
        sheets=sheets,
        trend=_trend(facts, start),
    )


def place_row(code: str, month: date) -> Row | None:
    """One street's or community's row of its month's report, with the same sums and frozen
    snapshot as ``build_report`` gives it, without building the whole street's report: the
    portal's disclosure shows one place. None for a code of another length, or a place that
    is neither current nor in the month's facts (the report has no row for it either)."""
    level = next(
        (lv for lv in (Level.STREET, Level.COMMUNITY) if LEVEL_CODE_LENGTH[lv] == len(code)),
        None,
    )
    if level is None:
        return None
    region = Region.objects.filter(code=code, level=level).first()
    if region is None:
        return None
    indicators = _indicators()
    label = (
        f"{region}合计"
        if level == Level.STREET
        else labels(_BY[level], [code]).get(code, str(region))
    )
    facts = DailyFact.objects.filter(region_code__startswith=code)
    start = period_start(MONTH, month)
    codes = _measure_codes(indicators)
    if (
        region.retired_on is not None
        and not facts.filter(
            day__gte=start, day__lte=period_end(MONTH, start), measure__in=list(codes)
        ).exists()
    ):
        return None
    row, _frozen = _place_row(code, label, level, facts, start, codes, indicators)
    return row


# --- display --------------------------------------------------------------------------------


def display(figure: Figure, cell: Cell) -> str:
    if cell.value is None:
        return "—"
    if figure.is_rate:
        return f"{cell.value:.2f}%"
    return str(cell.value)


# After the figures: the month's score, its grade and the place among the sheet's rows.
SCORE_LABELS = ("综合得分", "等级", "排名")


def score_cells(row: Row) -> list[str]:
    """The score columns as text: "—" where there is none (departments; places without a
    case that month), and for a total's rank."""
    return [
        "—" if row.score is None else f"{row.score:.2f}",
        row.grade or "—",
        "—" if row.rank is None else str(row.rank),
    ]


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


# --- xlsx -----------------------------------------------------------------------------------


def render_xlsx(data: ReportData) -> bytes:
    """One sheet per level below the region, each with a header block; every cell through
    ``safe_cell``; rates as numbers in a % format; then a chart sheet drawn from its own
    cells (the PDF's two charts: 结案率 by place, twelve months of 立案数 and 结案数)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet in data.sheets:
        ws = book.create_sheet(sheet.title)
        header = [
            ("区划", f"{data.region_name}({data.region_code})"),
            ("月份", month_label(data.month)),
            ("生成时间", data.generated_at.strftime("%Y-%m-%d %H:%M")),
            ("口径", "考核日统计事实;已冻结月份取冻结结果" if data.frozen else "考核日统计事实"),
        ]
        for name, value in header:
            ws.append([safe_cell(name), safe_cell(value)])
        ws.append([])
        ws.append(
            [
                safe_cell(SHEET_TITLES[sheet.level]),
                *(safe_cell(f.label) for f in FIGURES),
                *(safe_cell(label) for label in SCORE_LABELS),
            ]
        )
        for cell in ws[ws.max_row]:
            cell.font = bold
        rows = [*sheet.rows, *([sheet.total] if sheet.total else [])]
        for row in rows:
            values: list[Any] = [safe_cell(row.label)]
            for f in FIGURES:
                c = row.cells[f.code]
                if c.value is None:
                    values.append(safe_cell("—"))
                elif f.is_rate:
                    values.append(round(float(c.value) / 100, 4))
                else:
                    values.append(int(c.value))
            values += [
                "—" if row.score is None else round(float(row.score), 2),
                safe_cell(row.grade or "—"),
                "—" if row.rank is None else row.rank,
            ]
            ws.append(values)
            for col, f in enumerate(FIGURES, start=2):
                if f.is_rate and row.cells[f.code].value is not None:
                    ws.cell(row=ws.max_row, column=col).number_format = "0.00%"
            if row.score is not None:
                ws.cell(row=ws.max_row, column=len(FIGURES) + 2).number_format = "0.00"
            if row is sheet.total:
                for cell in ws[ws.max_row]:
                    cell.font = bold
        ws.column_dimensions["A"].width = 28
        for letter in "BCDEFGHIJK":
            ws.column_dimensions[letter].width = 12
    _chart_sheet(book, data)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _close_rate_leaders(sheet: Sheet) -> list[Row]:
    """The places of a sheet with a 结案率, highest first, at most twenty (a chart of two
    hundred grids is unreadable): the PDF's bar chart and the xlsx chart sheet."""
    rows = [r for r in sheet.rows if r.cells["close_rate"].value is not None]
    rows.sort(key=lambda r: -float(r.cells["close_rate"].value or 0))
    return rows[:20]


def _chart_sheet(book: Any, data: ReportData) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference

    ws = book.create_sheet("图表")
    ws.append([safe_cell("月份"), "立案数", "结案数"])
    for month, accepted, closed in data.trend:
        ws.append([safe_cell(f"{month.year}年{month.month}月"), accepted, closed])
    trend = LineChart()
    trend.title = "近12个月立案数与结案数"
    trend.y_axis.title = "件"
    trend.add_data(
        Reference(ws, min_col=2, max_col=3, min_row=1, max_row=ws.max_row), titles_from_data=True
    )
    trend.set_categories(Reference(ws, min_col=1, min_row=2, max_row=ws.max_row))
    trend.height, trend.width = 8, 18
    # Excel hides an axis whose <c:delete> is left out (openpyxl 3.1 leaves it out).
    trend.x_axis.delete = trend.y_axis.delete = False
    ws.add_chart(trend, "E1")

    first = data.sheets[0]
    leaders = _close_rate_leaders(first)
    top = ws.max_row + 2
    ws.cell(row=top, column=1, value=safe_cell(first.title))
    ws.cell(row=top, column=2, value="结案率")
    for n, row in enumerate(leaders, start=1):
        ws.cell(row=top + n, column=1, value=safe_cell(row.label))
        cell = ws.cell(
            row=top + n, column=2, value=round(float(row.cells["close_rate"].value or 0) / 100, 4)
        )
        cell.number_format = "0.00%"
    if leaders:
        bars = BarChart()
        bars.title = f"{first.title}结案率(前{len(leaders)}名)"
        bars.y_axis.number_format = "0%"
        bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 1
        bars.legend = None
        bars.add_data(
            Reference(ws, min_col=2, min_row=top, max_row=top + len(leaders)), titles_from_data=True
        )
        bars.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(leaders)))
        bars.height, bars.width = 8, 18
        bars.x_axis.delete = bars.y_axis.delete = False
        ws.add_chart(bars, "E18")
    else:
        ws.cell(row=top + 1, column=1, value="本月没有应结案的案件")
    ws.column_dimensions["A"].width = 28


# --- pdf ------------------------------------------------------------------------------------

FONT = "STSong-Light"  # a CID font every PDF reader has: no font file to ship


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _short(text: str, n: int = 8) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _bar_chart(sheet: Sheet, width: float) -> Any:
    """结案率 by subject of the first level below (at most 20, highest first)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    rows = _close_rate_leaders(sheet)
    drawing = Drawing(width, 190)
    drawing.add(String(0, 178, f"{sheet.title}结案率(%)", fontName=FONT, fontSize=10))
    if not rows:
        drawing.add(String(0, 90, "本月没有应结案的案件", fontName=FONT, fontSize=9))
        return drawing
    chart = VerticalBarChart()
    # Narrow bars for a street of two communities, the full width for twenty.
    chart.x, chart.y, chart.width, chart.height = 30, 45, min(width - 40, 48 * len(rows)), 120
    chart.data = [[float(r.cells["close_rate"].value or 0) for r in rows]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = FONT
    chart.categoryAxis.categoryNames = [_short(r.label) for r in rows]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.bars[0].fillColor = colors.HexColor("#2f6fb0")
    drawing.add(chart)
    return drawing


def _trend_chart(trend: list[tuple[date, int, int]], width: float) -> Any:
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    drawing = Drawing(width, 190)
    drawing.add(String(0, 178, "近12个月立案数与结案数", fontName=FONT, fontSize=10))
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 30, 35, width - 130, 125
    chart.data = [[a for _m, a, _c in trend], [c for _m, _a, c in trend]]
    chart.categoryAxis.categoryNames = [f"{m.month}月" for m, _a, _c in trend]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.lines[0].strokeColor = colors.HexColor("#2f6fb0")
    chart.lines[1].strokeColor = colors.HexColor("#d9822b")
    chart.lines[0].strokeWidth = chart.lines[1].strokeWidth = 1.5
    # Dashed 结案数: when both lines coincide the reader still sees two.
    chart.lines[1].strokeDashArray = [4, 2]
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 90, 140
    legend.fontName = FONT
    legend.fontSize = 8
    legend.colorNamePairs = [
        (colors.HexColor("#2f6fb0"), "立案数"),
        (colors.HexColor("#d9822b"), "结案数"),
    ]
    drawing.add(legend)
    return drawing


def render_pdf(data: ReportData) -> bytes:
    """A4 portrait in Chinese: title, period, summary figures, charts, one table per level.
    Names are escaped before they reach a Paragraph (its text is markup)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_font()
    title_style = ParagraphStyle("t", fontName=FONT, fontSize=18, leading=24, alignment=1)
    sub_style = ParagraphStyle("s", fontName=FONT, fontSize=10, leading=14, alignment=1)
    h_style = ParagraphStyle(
        "h", fontName=FONT, fontSize=12, leading=18, spaceBefore=6, keepWithNext=1
    )
    cell_style = ParagraphStyle("c", fontName=FONT, fontSize=8, leading=10)
    note_style = ParagraphStyle("n", fontName=FONT, fontSize=8, leading=11, textColor="#555555")

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{data.region_name}{month_label(data.month)}考核报告",
        author="CivicGrid",
    )
    width = A4[0] - 30 * mm
    story: list[Any] = [
        Paragraph(escape(f"{data.region_name}网格化管理月度考核报告"), title_style),
        Paragraph(
            escape(
                f"考核周期:{month_label(data.month)}"
                f"({data.month:%Y-%m-%d} 至 {period_end(MONTH, data.month):%Y-%m-%d})"
                # The PDF's CID font (STSong-Light, not embedded) has no "·" or "−":
                # readers drew them as boxes or nothing.
                f",区划代码 {data.region_code}"
            ),
            sub_style,
        ),
        Spacer(1, 4 * mm),
        Paragraph("一、总体情况", h_style),
    ]
    grid_style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    summary = Table(
        [
            [*(f.label for f in FIGURES), *SCORE_LABELS[:2]],
            [
                *(display(f, data.total.cells[f.code]) for f in FIGURES),
                *score_cells(data.total)[:2],
            ],
        ],
        colWidths=[width / (len(FIGURES) + 2)] * (len(FIGURES) + 2),
    )
    summary.setStyle(grid_style)
    summary.setStyle(
        TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("FONTSIZE", (0, 1), (-1, 1), 11)])
    )
    story += [summary, Spacer(1, 4 * mm), Paragraph("二、图表", h_style)]
    story.append(_bar_chart(data.sheets[0], width))
    story.append(_trend_chart(data.trend, width))
    # Seven figures, then score, grade and rank; headings of five characters or more break
    # onto two lines, so the place names keep a quarter of the width.
    widths = [14 * mm] * (len(FIGURES) + 1) + [10 * mm, 10 * mm]
    first_col = width - sum(widths)
    head_style = ParagraphStyle("th", fontName=FONT, fontSize=8, leading=10, alignment=1)
    for n, sheet in enumerate(data.sheets, start=3):
        story.append(Paragraph(f"{_cn_number(n)}、分{sheet.title}情况", h_style))
        rows = [*sheet.rows, *([sheet.total] if sheet.total else [])]
        if not rows:
            story.append(Paragraph("本月没有数据", note_style))
            continue
        headings = [sheet.title, *(f.label for f in FIGURES), *SCORE_LABELS]
        table_rows: list[list[Any]] = [
            [
                Paragraph(
                    escape(h[: len(h) // 2]) + "<br/>" + escape(h[len(h) // 2 :])
                    if len(h) > 4
                    else escape(h),
                    head_style,
                )
                for h in headings
            ]
        ]
        for row in rows:
            table_rows.append(
                [
                    Paragraph(escape(row.label), cell_style),
                    *(display(f, row.cells[f.code]) for f in FIGURES),
                    *score_cells(row),
                ]
            )
        table = Table(table_rows, colWidths=[first_col, *widths], repeatRows=1)
        table.setStyle(grid_style)
        if sheet.total:
            table.setStyle(
                TableStyle([("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f3f3"))])
            )
        story.append(table)
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                "说明:结案率 = 应结案中已结案数 ÷ 应结案数;按期结案率 = 按期结案数 ÷ "
                "(应结案数 － 缓办数);返工率 = 返工案件数 ÷ 处置数;延期率 = 批准延期数 ÷ "
                "派遣数;满意率 = 满意和基本满意的评价数 ÷ 评价数。综合得分与等级同考核排名(各指标"
                "得分按权重加权),排名为本表内名次。部门行只计本区划内的案件,不评分(部门得分见"
                "考核排名,按其全部案件计)。"
                + ("本月已冻结,取冻结时的结果。" if data.frozen else "")
            ),
            note_style,
        ),
    ]
    generated = data.generated_at.strftime("%Y-%m-%d %H:%M")

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(15 * mm, 8 * mm, f"生成时间 {generated}")
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _cn_number(n: int) -> str:
    return "零一二三四五六七八九十"[n] if n <= 10 else str(n)


# --- kept reports ---------------------------------------------------------------------------


def report_regions(code: str | None = None) -> QuerySet[Region]:
    """The streets and districts that get a report (inside ``code`` when given)."""
    from civicgrid.geo.choices import Level as GeoLevel

    regions = Region.objects.filter(
        level__in=[GeoLevel.STREET, GeoLevel.DISTRICT], retired_on__isnull=True
    )
    if code:
        regions = regions.filter(code__startswith=code)
    return regions.order_by("code")


def requestable_regions(user: Any) -> QuerySet[Region]:
    """The regions whose report ``user`` may ask for: those inside their codes."""
    if user is None or not user.is_authenticated:
        return Region.objects.none()
    if user.sees_everything:
        return report_regions()
    if user.role not in REPORT_READERS:
        return Region.objects.none()
    regions = report_regions()
    keep = [r.pk for r in regions if any(r.code.startswith(c) for c in user.scope_codes)]
    return regions.filter(pk__in=keep)


def access_report(user: Any, pk: Any) -> AssessmentReport:
    """A kept report inside the reader's jurisdiction; 404 when outside or missing."""
    try:
        return AssessmentReport.objects.visible_to(user).get(pk=int(pk))
    except (AssessmentReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def request_report(region: Region, month: date, user: Any = None) -> AssessmentReport:
    """Queue the report of ``region`` for ``month``: one row per (region, month). A report
    already queued or running is left as it is (asking twice queues once); a done or failed
    one is queued again and its files replaced when the task has run."""
    report_level(region)
    start = period_start(MONTH, month)
    if not is_requestable_month(start):
        # Every way in (page, API, command) checks first; this keeps a new caller honest.
        raise ValueError(OPEN_MONTH_MESSAGE)
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                report, created = AssessmentReport.objects.select_for_update().get_or_create(
                    region_code=region.code,
                    month=start,
                    defaults={
                        "region_name": str(region)[:100],
                        "requested_by": user if getattr(user, "pk", None) else None,
                        "requested_at": now,
                    },
                )
        except IntegrityError:
            # Another request created it a moment ago: use that row.
            report = AssessmentReport.objects.select_for_update().get(
                region_code=region.code, month=start
            )
            created = False
        busy = report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
        if not created and busy and report.requested_at > now - STALE_AFTER:
            return report
        AssessmentReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.QUEUED,
            region_name=str(region)[:100],
            requested_by=user if getattr(user, "pk", None) else None,
            requested_at=now,
            error="",
        )
        report_id = report.pk
        transaction.on_commit(lambda: generate_report_task.enqueue(report_id))
    report.refresh_from_db()
    return report


def generate_report(report_id: int) -> bool:
    """Build and keep the files of a queued report; False when nothing was to be done (not
    queued any more, or another worker has it)."""
    claimed = AssessmentReport.objects.filter(
        pk=report_id, status__in=[ReportStatus.QUEUED]
    ).update(status=ReportStatus.RUNNING)
    if claimed != 1:
        return False
    report = AssessmentReport.objects.get(pk=report_id)
    try:
        region = Region.objects.get(code=report.region_code)
        data = build_report(region, report.month)
        xlsx, pdf = render_xlsx(data), render_pdf(data)
        old = [n for n in (report.xlsx.name, report.pdf.name) if n]
        base = f"{report.region_code}-{report.month:%Y-%m}"
        report.xlsx.save(f"{base}.xlsx", ContentFile(xlsx), save=False)
        report.pdf.save(f"{base}.pdf", ContentFile(pdf), save=False)
        AssessmentReport.objects.filter(pk=report_id).update(
            status=ReportStatus.DONE,
            region_name=data.region_name[:100],
            xlsx=report.xlsx.name,
            pdf=report.pdf.name,
            generated_at=timezone.now(),
            error="",
        )
    except Exception:
        logger.exception("Assessment report %s failed", report_id)
        AssessmentReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error="报告生成失败,请稍后重新生成或联系系统管理员"
        )
        return False
    storage = report.xlsx.storage
    for name in old:
        if name not in (report.xlsx.name, report.pdf.name):
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Assessment report %s: old file %s not deleted", report_id, name)
    return True


@task()
def generate_report_task(report_id: int) -> None:
    generate_report(report_id)


def generate_month(month: date, code: str | None = None) -> list[AssessmentReport]:
    """Queue the report of every street and district (inside ``code``) for ``month``."""
    return [request_report(region, month) for region in report_regions(code)]


def build_reports(city: Any = None, stdout: Any = None) -> int:
    """Demo: the last complete month's reports of every street and district, generated now."""
    today = timezone.now().astimezone(local_tz()).date()
    last = period_start(MONTH, period_start(MONTH, today) - timedelta(days=1))
    done = 0
    for report in generate_month(last):
        if report.status == ReportStatus.QUEUED:
            generate_report(report.pk)
        done += 1
    if stdout is not None:
        stdout.write(f"考核报告:{month_label(last)} {done} 份")
    return done


OPEN_MONTH_MESSAGE = "该月份尚未结束,月度考核报告须在月份结束后生成"


def is_requestable_month(month: date, today: date | None = None) -> bool:
    """A report is kept for a month that has ended. Reports are kept and published as the
    month's figures, and the snapshot of a month is only frozen once it has ended
    (``services.is_closed``); a report of the open month would publish figures that still
    move, so it is refused rather than kept as if final (docs/architecture.md "Assessment")."""
    return is_closed(MONTH, period_start(MONTH, month), today)


def last_closed_month(today: date | None = None) -> date:
    """The first day of the newest month that has ended (the latest a report may be for)."""
    today = today or timezone.now().astimezone(local_tz()).date()
    return period_start(MONTH, period_start(MONTH, today) - timedelta(days=1))


def download_name(report: AssessmentReport, fmt: str) -> str:
    return f"{report.region_name or report.region_code}{month_label(report.month)}考核报告.{fmt}"
