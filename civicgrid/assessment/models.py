"""Assessment (考核评价): one long fact table written only by the rollup, indicators as data,
and frozen period results (docs/architecture.md "Assessment").

``DailyFact`` holds, per local day, place, minor category, department and person, how many
times a measure (``measures.MEASURES``) happened. Rankings, reports and the command-centre
screen read these rows, never the case history directly, so a figure means the same
everywhere. ``PeriodResult`` keeps what a closed period said, so a published ranking does not
move when late events arrive.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role
from civicgrid.core.scoping import ScopedQuerySet, prefix_q


class Level(models.TextChoices):
    WORKER = "worker", _("网格员")
    GRID = "grid", _("网格")
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")
    DISTRICT = "district", _("区县")
    DEPARTMENT = "department", _("部门")


# How long the region code of each place level is (CJ/T 213 + DB11/T 2157: 6/9/12/15).
LEVEL_CODE_LENGTH: dict[str, int] = {
    Level.GRID: 15,
    Level.COMMUNITY: 12,
    Level.STREET: 9,
    Level.DISTRICT: 6,
}


class PeriodKind(models.TextChoices):
    WEEK = "week", _("周")
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年")


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class DailyFact(models.Model):
    day = models.DateField(_("日期"))
    # The case's grid code, or the deepest region code it has (a case outside every grid
    # carries its street's code).
    region_code = models.CharField(_("区划/网格编码"), max_length=15)
    category = models.ForeignKey(
        "cases.Category", null=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", null=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    measure = models.CharField(_("度量"), max_length=32)
    value = models.PositiveIntegerField(_("数值"))

    scope_field = "region_code"

    class Meta:
        verbose_name = _("日统计事实")
        verbose_name_plural = _("日统计事实")
        constraints = [
            # NULL means "not about a department/person"; two such rows are still the same
            # row, on SQLite and PostgreSQL alike, hence COALESCE rather than nulls_distinct.
            models.UniqueConstraint(
                F("day"),
                F("region_code"),
                Coalesce(F("category"), Value(0)),
                Coalesce(F("department"), Value(0)),
                Coalesce(F("worker"), Value(0)),
                F("measure"),
                name="assessment_fact_one_per_dimensions",
            )
        ]
        indexes = [
            # Covering (PostgreSQL): the screen and the rankings sum a month of a place's
            # facts from the index alone, without visiting the table.
            models.Index(
                fields=["measure", "day", "region_code"],
                include=["value", "category", "department"],
                name="assess_fact_region",
            ),
            models.Index(fields=["measure", "department", "day"], name="assess_fact_dept"),
            models.Index(fields=["measure", "worker", "day"], name="assess_fact_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region_code} {self.measure}={self.value}"


class CommunityDailyFact(models.Model):
    """``DailyFact`` summed per community: the first 12 digits of the region code (a shorter
    code stays as it is), without the person. Written by the rollup from the facts it has
    just written, in the same transaction, and read instead of them whenever the question is
    about a community or a wider place (``selectors``): a month of a city's trend is then
    thousands of rows instead of hundreds of thousands. Never written another way."""

    day = models.DateField(_("日期"))
    region_code = models.CharField(_("区划编码"), max_length=12)
    category = models.ForeignKey(
        "cases.Category", null=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", null=True, on_delete=models.PROTECT, related_name="+"
    )
    measure = models.CharField(_("度量"), max_length=32)
    value = models.PositiveIntegerField(_("数值"))

    class Meta:
        verbose_name = _("社区日统计")
        verbose_name_plural = _("社区日统计")
        indexes = [
            models.Index(
                fields=["measure", "day", "region_code"],
                include=["value", "category", "department"],
                name="assess_cfact_region",
            ),
            models.Index(fields=["measure", "department", "day"], name="assess_cfact_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region_code} {self.measure}={self.value}"


class Indicator(models.Model):
    """A rate computed from measures: Σ numerator / Σ denominator, where a measure written
    with a leading "-" is subtracted (按期结案率 = closed_on_time / (due_to_close − deferred))."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    levels = models.JSONField(_("适用层级"), default=list)
    numerator = models.JSONField(_("分子度量"), default=list)
    denominator = models.JSONField(_("分母度量"), default=list)
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    unit = models.CharField(_("单位"), max_length=8, default="%")
    description = models.TextField(_("口径说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class IndicatorWeight(models.Model):
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="weights"
    )
    weight = models.DecimalField(_("权重(%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("指标权重")
        verbose_name_plural = _("指标权重")
        ordering = ["level", "-weight"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "indicator"], name="assessment_weight_one_per_level"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0) & models.Q(weight__lte=100),
                name="assessment_weight_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.indicator} · {self.weight}"


class GradeBand(models.Model):
    """A grade is given to a score at or above ``min_score`` (the highest band that fits)."""

    grade = models.CharField(_("等级"), max_length=4, unique=True)
    min_score = models.DecimalField(_("最低分"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("等级划分")
        verbose_name_plural = _("等级划分")
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return f"{self.grade} ≥ {self.min_score}"


class PeriodResult(models.Model):
    """One subject's figure for one indicator (or ``TOTAL``: the weighted score) in a period."""

    TOTAL = "total"

    period_kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("周期开始"))
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    subject_key = models.CharField(_("对象"), max_length=20)
    subject_label = models.CharField(_("对象名称"), max_length=100, blank=True)
    # The region code the subject belongs to (a worker's grid, a department's region), so
    # that ranks are read inside the viewer's jurisdiction.
    region_code = models.CharField(_("区划编码"), max_length=15, blank=True)
    indicator = models.CharField(_("指标"), max_length=40)
    numerator = models.IntegerField(_("分子"), default=0)
    denominator = models.IntegerField(_("分母"), default=0)
    value = models.FloatField(_("数值"), null=True, blank=True)
    score = models.FloatField(_("得分"), null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=4, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    previous_rank = models.PositiveIntegerField(_("上期排名"), null=True, blank=True)
    frozen = models.BooleanField(_("已冻结"), default=False)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["period_start", "level", "rank", "subject_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "level", "subject_key", "indicator"],
                name="assessment_result_one_per_subject",
            )
        ]
        indexes = [
            models.Index(
                fields=["period_kind", "period_start", "level", "indicator"],
                name="assess_result_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_start} {self.level} {self.subject_key} {self.indicator}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


# Who reads the kept monthly reports: the command centre of a street or district and the
# system administrator. A report lists every community and grid of its region, more than a
# community's staff see on the ranking page, so they are not readers.
REPORT_READERS = frozenset({Role.COMMAND, Role.SYSADMIN})


class AssessmentReportQuerySet(models.QuerySet["AssessmentReport"]):
    def visible_to(self, user: Any) -> AssessmentReportQuerySet:
        """The reports of regions inside the reader's codes (a district's command sees the
        district's and every street's, a street's command its street's only)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.role not in REPORT_READERS:
            return self.none()
        return self.filter(prefix_q("region_code", user.scope_codes))


def report_file_path(report: AssessmentReport, filename: str) -> str:
    # A fresh name each generation (the storage adds a suffix when taken): a regenerated
    # report never serves a browser's cached copy of the old bytes under the same name.
    return f"assessment/reports/{report.region_code}/{report.month:%Y-%m}/{filename}"


class AssessmentReport(models.Model):
    """The kept monthly report of one street or district: one row per (region, month), whose
    files a regeneration replaces (docs/architecture.md "Assessment")."""

    region_code = models.CharField(_("区划编码"), max_length=12)
    region_name = models.CharField(_("区划名称"), max_length=100, blank=True)
    month = models.DateField(_("月份"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    xlsx = models.FileField(_("Excel 文件"), upload_to=report_file_path, blank=True, max_length=200)
    pdf = models.FileField(_("PDF 文件"), upload_to=report_file_path, blank=True, max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("申请人"),
    )
    requested_at = models.DateTimeField(_("申请时间"))
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    error = models.TextField(_("错误说明"), blank=True)

    scope_field = "region_code"

    objects = AssessmentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度考核报告")
        verbose_name_plural = _("月度考核报告")
        ordering = ["-month", "region_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "month"], name="assessment_report_one_per_region_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_name or self.region_code} {self.month:%Y-%m}"


class CompletenessSnapshot(models.Model):
    """One grid's ledger completeness (the registry's 台账核查 score) as it stood on a day.

    The ledger keeps no history of its gaps, so the audit can only say what the ledger is now;
    the nightly ``assessment_rollup`` (or ``assessment_completeness``) stores that answer once
    a day, idempotently, so that "grids whose ledger completeness is falling" compares real
    past values instead of presenting today's as history (docs/architecture.md "Assessment").
    Aggregates only: counts per grid, never a person."""

    day = models.DateField(_("日期"))
    grid_code = models.CharField(_("网格编码"), max_length=15)
    score = models.PositiveSmallIntegerField(_("台账完整率"))
    gaps = models.PositiveIntegerField(_("问题数"))
    checks = models.PositiveIntegerField(_("核查项数"))
    # The grid's headline counts (registry.selectors.HEADLINE_COUNTS) and the audit's gaps by
    # kind (AUDIT_COUNTS, with the counts) that night, so a street's or wider workbench, ledger
    # home and audit page need not count and audit millions of records while the person waits.
    # Empty on the rows written before they were kept.
    buildings = models.PositiveIntegerField(_("楼栋数"), null=True, blank=True)
    dwellings = models.PositiveIntegerField(_("房屋数"), null=True, blank=True)
    households = models.PositiveIntegerField(_("住户数"), null=True, blank=True)
    people = models.PositiveIntegerField(_("在住人口"), null=True, blank=True)
    floating = models.PositiveIntegerField(_("流动人口"), null=True, blank=True)
    party_members = models.PositiveIntegerField(_("党员数"), null=True, blank=True)
    organizations = models.PositiveIntegerField(_("组织数"), null=True, blank=True)
    buildings_without_dwellings = models.PositiveIntegerField(
        _("楼栋无房屋"), null=True, blank=True
    )
    dwellings_unaccounted = models.PositiveIntegerField(_("房屋无着落"), null=True, blank=True)
    households_without_head = models.PositiveIntegerField(_("住户无户主"), null=True, blank=True)
    people_incomplete = models.PositiveIntegerField(_("人口缺项"), null=True, blank=True)
    stale = models.PositiveIntegerField(_("超期未核实"), null=True, blank=True)

    scope_field = "grid_code"
    scope_reads = "ledgers"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("台账完整率快照")
        verbose_name_plural = _("台账完整率快照")
        ordering = ["-day", "grid_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid_code", "day"], name="assessment_completeness_one_per_grid_day"
            )
        ]
        indexes = [models.Index(fields=["day", "grid_code"], name="assess_completeness_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.grid_code} {self.score}%"


class PopulationFact(models.Model):
    """People living here per community, birth year, sex and residency, and per care or
    special group (``tag_kind``: then the other three are empty), as counted on a night by
    ``population.record_population``. The command screen's population panel of a jurisdiction
    made of whole communities, a street or wider, sums these instead of counting millions of
    people while the wall waits (docs/architecture.md "Command-centre screen"). Counts only,
    never a person; a reader without the special-groups permission never gets the sensitive
    kinds' rows."""

    day = models.DateField(_("日期"))
    community_code = models.CharField(_("社区编码"), max_length=12)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    sex = models.CharField(_("性别"), max_length=10, blank=True)
    residency = models.CharField(_("人口类型"), max_length=20, blank=True)
    tag_kind = models.ForeignKey(
        "registry.TagKind", null=True, on_delete=models.PROTECT, related_name="+"
    )
    n = models.PositiveIntegerField(_("人数"))
    counted_at = models.DateTimeField(_("统计时间"))

    scope_field = "community_code"
    scope_reads = "ledgers"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人口统计快照")
        verbose_name_plural = _("人口统计快照")
        indexes = [models.Index(fields=["day", "community_code"], name="assess_population_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.community_code} {self.n}"


class HeatCellQuerySet(ScopedQuerySet["HeatCell"]):
    def visible_to(self, user: Any) -> Self:
        """The cells of the cases the user reads by jurisdiction. A department or a resident
        reads cases one by one (the ones dispatched to it, one's own), not a place's, so no
        place's counts are theirs."""
        if user is not None and getattr(user, "role", None) in (Role.DEPARTMENT, Role.RESIDENT):
            return self.none()
        return super().visible_to(user)


class HeatCell(models.Model):
    """How many cases were reported in one cell of one grid over a window of local days (the
    screen's heat layer, docs/architecture.md "Assessment").

    The heat layer asks for the last 30 days' reports grouped by place; at ten million cases
    that is a quarter of a million scattered rows for every cold screen. The nightly rollup
    counts the finished days once (``rollup.rollup_heat``); the screen adds today's reports
    live. Cells come in two sizes: latitude and longitude rounded to ``digits`` decimals, 3
    (≈ 100 m) for a street or narrower, 2 (≈ 1 km) for a district or the city, whose wall
    shows tens of kilometres. Only the latest window is kept: the rows are a copy of
    ``Case``, rebuilt whole."""

    first_day = models.DateField(_("起始日期"))
    last_day = models.DateField(_("截止日期"))
    digits = models.PositiveSmallIntegerField(_("小数位"))
    grid_code = models.CharField(_("网格编码"), max_length=15)
    # The cell: latitude and longitude rounded to ``digits`` decimals, times 10 ** digits.
    lat_cell = models.IntegerField(_("纬度格"))
    lng_cell = models.IntegerField(_("经度格"))
    reports = models.PositiveIntegerField(_("上报数"))

    scope_field = "grid_code"
    scope_reads = "cases"
    objects = HeatCellQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件热力格")
        verbose_name_plural = _("事件热力格")
        indexes = [
            models.Index(
                fields=["last_day", "first_day", "digits", "grid_code"],
                include=["lat_cell", "lng_cell", "reports"],
                name="assess_heat_window",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day} {self.grid_code} {self.reports}"
