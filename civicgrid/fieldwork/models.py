"""Field work: patrols with GPS tracks, their 一日双巡 verdicts and 电子监察 flags.

Tracks are sensitive personal data (PIPL art. 28): ``scope_reads = "tracks"`` limits them to
the roles in ``accounts.choices.TRACK_READERS`` and ``OwnWorkQuerySet`` narrows a grid worker to
their own patrols (docs/architecture.md "Field work").
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.fieldwork.choices import ComplianceStatus, FlagKind, VisitPurpose
from civicgrid.fieldwork.querysets import OwnWorkQuerySet, PatrolQuerySet, VisitQuerySet
from civicgrid.geo.models import Grid


class PatrolStandard(models.Model):
    """The rules of 一日双巡 and of electronic supervision, as data. The standard whose
    ``region_prefix`` is the longest prefix of a grid's code applies to it; the row with an
    empty prefix is the city-wide default."""

    region_prefix = models.CharField(_("适用区划编码前缀"), max_length=12, blank=True, unique=True)
    patrols_per_day = models.PositiveSmallIntegerField(_("每日巡查次数"), default=2)
    min_minutes = models.PositiveSmallIntegerField(_("每次最短时长(分钟)"), default=30)
    min_inside_share = models.FloatField(_("网格内轨迹最低占比"), default=0.8)
    min_coverage = models.FloatField(_("楼栋覆盖最低占比"), default=0.5)
    coverage_radius_m = models.PositiveSmallIntegerField(_("经过楼栋的距离(米)"), default=50)
    morning_start = models.TimeField(_("上午巡查开始"), default=time(7, 0))
    morning_end = models.TimeField(_("上午巡查结束"), default=time(12, 0))
    afternoon_start = models.TimeField(_("下午巡查开始"), default=time(13, 30))
    afternoon_end = models.TimeField(_("下午巡查结束"), default=time(19, 0))
    max_speed_kmh = models.FloatField(_("合理最高速度(公里/小时)"), default=25)
    stationary_minutes = models.PositiveSmallIntegerField(_("静止报警时长(分钟)"), default=20)
    far_outside_m = models.PositiveSmallIntegerField(_("远离网格报警距离(米)"), default=500)
    min_points = models.PositiveSmallIntegerField(_("每次最少轨迹点"), default=10)
    max_accuracy_m = models.PositiveSmallIntegerField(_("可用定位精度上限(米)"), default=500)
    retention_days = models.PositiveSmallIntegerField(_("轨迹保存天数"), default=180)

    class Meta:
        verbose_name = _("巡查标准")
        verbose_name_plural = _("巡查标准")
        ordering = ["region_prefix"]

    def __str__(self) -> str:
        return str(self.region_prefix or _("全市默认"))


class Patrol(models.Model):
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格员"),
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    grid_code = models.CharField(max_length=15, db_index=True, editable=False)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Set by the phone so a retried "start" never opens a second patrol.
    client_key = models.CharField(_("客户端标识"), max_length=64, blank=True)
    # Computed when the patrol ends (services.patrol_end), from its track points.
    duration_s = models.PositiveIntegerField(_("时长(秒)"), default=0)
    distance_m = models.FloatField(_("里程(米)"), default=0)
    inside_share = models.FloatField(_("网格内轨迹占比"), null=True, blank=True)
    coverage_share = models.FloatField(_("楼栋覆盖占比"), null=True, blank=True)
    point_count = models.PositiveIntegerField(_("轨迹点数"), default=0)

    scope_field = "grid_code"
    scope_reads = "tracks"
    objects = PatrolQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡查")
        verbose_name_plural = _("巡查")
        ordering = ["-started_at"]
        indexes = [
            # On-duty map and compliance: a jurisdiction's patrols of a day.
            models.Index(fields=["grid_code", "started_at"], name="fieldwork_patrol_code_day"),
            models.Index(fields=["worker", "started_at"], name="fieldwork_patrol_worker_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "client_key"],
                condition=~Q(client_key=""),
                name="%(app_label)s_%(class)s_one_per_client_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.started_at:%Y-%m-%d %H:%M}"


class TrackPoint(models.Model):
    """One GPS fix. Written in bulk (services.track_points_add); scoped through its patrol."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="points")
    at = models.DateTimeField()
    lat = models.FloatField()
    lng = models.FloatField()
    accuracy = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("轨迹点")
        verbose_name_plural = _("轨迹点")
        ordering = ["patrol", "at"]
        constraints = [
            # A point re-sent after a dropped connection is the same point, not a second one.
            models.UniqueConstraint(
                fields=["patrol", "at"], name="%(app_label)s_%(class)s_one_per_instant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lat:.6f},{self.lng:.6f} @ {self.at:%H:%M:%S}"


class PatrolFinding(models.Model):
    """A problem found on patrol, reported as a case through cases.services.case_report."""

    patrol = models.ForeignKey(Patrol, on_delete=models.PROTECT, related_name="findings")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="patrol_finding"
    )

    class Meta:
        verbose_name = _("巡查发现")
        verbose_name_plural = _("巡查发现")

    def __str__(self) -> str:
        return f"{self.patrol} → {self.case_id}"


class PatrolFlag(models.Model):
    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="flags")
    grid_code = models.CharField(max_length=15, db_index=True, editable=False)
    kind = models.CharField(_("类型"), max_length=20, choices=FlagKind.choices)
    detail = models.CharField(_("说明"), max_length=200)
    at = models.DateTimeField(_("发生时间"), null=True, blank=True)

    scope_field = "grid_code"
    scope_reads = "tracks"
    worker_field = "patrol__worker"
    objects = OwnWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("监察提示")
        verbose_name_plural = _("监察提示")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.detail}"


class DailyCompliance(models.Model):
    """一日双巡 per worker, grid and day, written by ``patrol_compliance --date`` (idempotent);
    assessment reads these rows, never recomputes from tracks."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patrol_days"
    )
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="+")
    grid_code = models.CharField(max_length=15, db_index=True, editable=False)
    day = models.DateField(_("日期"))
    status = models.CharField(_("结果"), max_length=12, choices=ComplianceStatus.choices)
    patrols = models.PositiveSmallIntegerField(_("巡查次数"), default=0)
    minutes = models.PositiveIntegerField(_("巡查分钟"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope_field = "grid_code"
    scope_reads = "tracks"
    objects = OwnWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("一日双巡结果")
        verbose_name_plural = _("一日双巡结果")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "grid", "day"], name="%(app_label)s_%(class)s_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["grid_code", "day"], name="fieldwork_compliance_code_day")]

    def __str__(self) -> str:
        return f"{self.worker} {self.day} {self.get_status_display()}"


class VisitRule(models.Model):
    """How often people of a care or special group must be visited (data, admin-edited): e.g.
    独居老人 every 7 days, 低保 every 30, 严重精神障碍 by risk level. A rule with ``min_level``
    applies only to tags whose ``attributes["risk_level"]`` is at least that level; when several
    rules fit a tag, the shortest interval wins."""

    tag_kind = models.ForeignKey(
        "registry.TagKind", verbose_name=_("人群类别"), on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.PositiveSmallIntegerField(_("最低风险等级"), null=True, blank=True)
    interval_days = models.PositiveSmallIntegerField(_("走访间隔(天)"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    retired_on = models.DateField(_("停用日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("走访规则")
        verbose_name_plural = _("走访规则")
        ordering = ["tag_kind", "min_level"]

    def __str__(self) -> str:
        return f"{self.tag_kind} / {self.interval_days}"


class Visit(models.Model):
    """One household visit (入户走访) by a grid worker; a person visited is named, the household
    is the person's or the one visited."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格员"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    grid_code = models.CharField(max_length=15, db_index=True, editable=False)
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("走访对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_at = models.DateTimeField(_("走访时间"), db_index=True)
    purpose = models.CharField(_("走访事由"), max_length=12, choices=VisitPurpose.choices)
    findings = models.TextField(_("走访情况"), max_length=1000)
    follow_up = models.CharField(_("后续跟进"), max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("转为事件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    # Set by the phone so a visit re-sent after a dropped connection is stored once.
    client_key = models.CharField(_("客户端标识"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "grid_code"
    scope_reads = "ledgers"
    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("入户走访")
        verbose_name_plural = _("入户走访")
        ordering = ["-visited_at"]
        indexes = [
            models.Index(fields=["person", "visited_at"], name="fieldwork_visit_person_at"),
            models.Index(fields=["grid_code", "visited_at"], name="fieldwork_visit_code_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "client_key"],
                condition=~Q(client_key=""),
                name="%(app_label)s_%(class)s_one_per_client_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.visited_at:%Y-%m-%d}"
