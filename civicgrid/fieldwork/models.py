"""Field work: patrols with GPS tracks, their 一日双巡 verdicts and 电子监察 flags.

Tracks are sensitive personal data (PIPL art. 28): ``scope_reads = "tracks"`` limits them to
the roles in ``accounts.choices.TRACK_READERS`` and ``OwnWorkQuerySet`` narrows a grid worker to
their own patrols (docs/architecture.md "Field work").
"""

from __future__ import annotations

from datetime import time
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core.models import one_per_client_key
from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.fieldwork.choices import ComplianceStatus, FlagKind, HouseholdType, VisitPurpose
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
    # What the on-duty map draws, kept on the patrol so the map reads one row per patrol
    # instead of a street's 100,000 points of the day (issue 9 "Speed"): the last fix, moved
    # by every upload, and the thinned track stored when the patrol ends, as little-endian
    # float64 lng, lat pairs (services.pack_outline): parsing it as JSON text cost a third of
    # the map's time. ``outline`` is null while the patrol is open or if it ended before the
    # field existed; the map then reads its points. Location data: purge_tracks clears all four.
    outline = models.BinaryField(null=True, blank=True, editable=False)
    last_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_lat = models.FloatField(null=True, blank=True, editable=False)
    last_lng = models.FloatField(null=True, blank=True, editable=False)

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
        constraints = [one_per_client_key("worker")]

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
    """How often people of a care or special group, or households of a type, must be visited
    (data, admin-edited): e.g. 独居老人 every 7 days, 低保 every 30, 严重精神障碍 by risk level,
    出租户 every 30. A rule names either a tag kind (its people are due) or a household type
    (its households are due), never both. A rule with ``min_level`` applies only to tags whose
    ``attributes["risk_level"]`` is at least that level; when several rules fit a tag or a
    household, the shortest interval wins."""

    tag_kind = models.ForeignKey(
        "registry.TagKind",
        verbose_name=_("人群类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household_type = models.CharField(
        _("户类型"), max_length=12, choices=HouseholdType.choices, blank=True
    )
    min_level = models.PositiveSmallIntegerField(_("最低风险等级"), null=True, blank=True)
    interval_days = models.PositiveSmallIntegerField(_("走访间隔(天)"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    retired_on = models.DateField(_("停用日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("走访规则")
        verbose_name_plural = _("走访规则")
        ordering = ["tag_kind", "household_type", "min_level"]
        constraints = [
            # One target per rule: a tag kind (people) or a household type (households).
            models.CheckConstraint(
                condition=(
                    (models.Q(tag_kind__isnull=False) & models.Q(household_type=""))
                    | (models.Q(tag_kind__isnull=True) & ~models.Q(household_type=""))
                ),
                name="%(app_label)s_%(class)s_one_target",
                violation_error_message=_("走访规则须选择人群类别或户类型之一"),
            )
        ]

    def __str__(self) -> str:
        target = self.tag_kind if self.tag_kind_id else self.get_household_type_display()
        return f"{target} / {self.interval_days}"

    def clean(self) -> None:
        if bool(self.tag_kind_id) == bool(self.household_type):
            raise ValidationError(_("走访规则须选择人群类别或户类型之一"))
        if self.household_type and self.min_level is not None:
            raise ValidationError({"min_level": _("户类型规则不分风险等级")})


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
    # Names of the person's ledger fields corrected on this visit; never the values (the phone
    # is encrypted in the ledger, docs/architecture.md rule 3): the page shows them masked.
    corrected_fields = models.JSONField(_("台账更正项"), default=list, blank=True)
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
        constraints = [one_per_client_key("worker")]

    def __str__(self) -> str:
        return f"{self.worker} {self.visited_at:%Y-%m-%d}"


# The latest visit of each household and each person, kept as visits are stored: the due list
# orders a city's rented households and tagged people by it, and a per-row "latest visit"
# subquery over the visits made a city-wide 待走访 take 8 s at 10 M people (docs/scaling.md
# "City-scale run"). They live here, not on the ledger rows, so a ledger edit saving a row it
# read before a visit cannot write an older time back. Visits are never edited or deleted, so
# the time only moves forward (``visits.note_last_visits``).


class _LastVisit(models.Model):
    visited_at = models.DateTimeField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.pk} {self.visited_at:%Y-%m-%d}"


class LastHouseholdVisit(_LastVisit):
    household = models.OneToOneField(
        "registry.Household", primary_key=True, on_delete=models.PROTECT, related_name="last_visit"
    )

    class Meta:
        verbose_name = _("住户最近走访")
        verbose_name_plural = _("住户最近走访")


class LastPersonVisit(_LastVisit):
    person = models.OneToOneField(
        "registry.Person", primary_key=True, on_delete=models.PROTECT, related_name="last_visit"
    )

    class Meta:
        verbose_name = _("人员最近走访")
        verbose_name_plural = _("人员最近走访")


# ---------------------------------------------------------------------------------------------
# Grid tasks (分片包干 / 任务下发): the street or the community issues a task to a set of grids;
# each grid's worker ticks off their part's items (docs/architecture.md "Field work").


class TaskStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class ChecklistKind(models.TextChoices):
    """What the items of each target grid are, generated when the task is issued."""

    NONE = "none", _("不分事项(每个网格一项)")
    BUILDING = "building", _("每栋楼一项")
    HOUSEHOLD = "household", _("每户一项")
    RENTAL = "rental", _("每套出租房一项")
    FREE = "free", _("由网格员自行添加")


class ItemStatus(models.TextChoices):
    TODO = "todo", _("待办")
    DONE = "done", _("已完成")
    NA = "na", _("不适用")


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    at = instance.at or timezone.now()
    return f"visits/{at:%Y/%m}/{instance.visit_id}-{filename}"


class VisitPhoto(models.Model):
    """A photo taken on a visit (a damp flat, a blocked fire door). Served only through the
    access-checked view after ``access_visit`` (core.files.protected_file_response)."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=visit_photo_path, max_length=200)
    thumbnail = models.ImageField(_("缩略图"), upload_to=visit_photo_path, max_length=200)
    at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return self.image.name


class GridTaskQuerySet(ScopedQuerySet[Any]):
    """A task is seen by whoever reads ledgers in one of its target grids: the grid's worker,
    the community of the grid, the street (docs/architecture.md "One way in"). Its parts carry
    the grid codes, so the task is visible when one of its visible parts exists."""

    def visible_to(self, user: Any) -> Self:
        return self.filter(pk__in=TaskPart.objects.visible_to(user).values("task_id"))


def task_attachment_path(instance: TaskAttachment, filename: str) -> str:
    at = timezone.localtime(instance.uploaded_at or timezone.now())
    return f"tasks/{at:%Y/%m}/files/{instance.task_id}-{filename}"


def task_photo_path(instance: TaskItem, filename: str) -> str:
    at = timezone.localtime(instance.done_at or timezone.now())
    return f"tasks/{at:%Y/%m}/photos/{instance.task_id}-{instance.pk or 'new'}-{filename}"


class GridTask(models.Model):
    """One task issued to grids. Never deleted: withdrawn (撤回) or closed with a reason."""

    title = models.CharField(_("任务名称"), max_length=100)
    instructions = models.TextField(_("任务要求"), max_length=4000, blank=True)
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下发人"),
        on_delete=models.PROTECT,
        related_name="issued_tasks",
    )
    # The issuer's jurisdiction the task was issued from (a community, a street or a district).
    region_code = models.CharField(_("下发单位编码"), max_length=15, db_index=True)
    deadline = models.DateTimeField(_("完成时限"))
    needs_photo = models.BooleanField(_("须拍照"), default=False)
    needs_location = models.BooleanField(_("须定位"), default=False)
    checklist = models.CharField(
        _("清单类型"), max_length=12, choices=ChecklistKind.choices, default=ChecklistKind.NONE
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("下发时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("办结/撤回时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结/撤回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_reason = models.CharField(_("办结说明/撤回原因"), max_length=200, blank=True)
    # Set by the issuing client so a re-sent "issue" never creates the task twice.
    client_key = models.CharField(_("客户端标识"), max_length=64, blank=True)

    scope_reads = "ledgers"
    objects = GridTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格任务")
        verbose_name_plural = _("网格任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"], name="fieldwork_task_status")]
        constraints = [one_per_client_key("issuer")]

    def __str__(self) -> str:
        return self.title


class TaskAttachment(models.Model):
    """A file of the task (the policy as PDF, a form as xlsx); served only through the
    access-checked download view (core.files.protected_file_response)."""

    task = models.ForeignKey(GridTask, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("附件"), upload_to=task_attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=120)
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("任务附件")
        verbose_name_plural = _("任务附件")
        ordering = ["task", "pk"]

    def __str__(self) -> str:
        return self.name


class TaskPart(models.Model):
    """A task's share in one grid (分片包干): what the grid's worker answers for."""

    task = models.ForeignKey(GridTask, on_delete=models.PROTECT, related_name="parts")
    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    grid_code = models.CharField(max_length=15, db_index=True, editable=False)

    scope_field = "grid_code"
    scope_reads = "ledgers"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务分片")
        verbose_name_plural = _("任务分片")
        ordering = ["task", "grid_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "grid"], name="%(app_label)s_%(class)s_one_per_grid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} / {self.grid_code}"


class TaskItem(models.Model):
    """One thing to do in a grid: a building, a household, a rented dwelling, the grid itself
    or a free item the worker added. Ticked done or not applicable (with a reason)."""

    task = models.ForeignKey(GridTask, on_delete=models.PROTECT, related_name="items")
    part = models.ForeignKey(TaskPart, on_delete=models.PROTECT, related_name="items")
    grid_code = models.CharField(max_length=15, db_index=True, editable=False)
    building = models.ForeignKey(
        "registry.Building", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dwelling = models.ForeignKey(
        "registry.Dwelling", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("事项"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.TODO
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("办理时间"), null=True, blank=True, db_index=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    photo = models.ImageField(_("现场照片"), upload_to=task_photo_path, blank=True, max_length=200)
    # The phone's key for one tick: a retried tick of the same key changes nothing again.
    client_key = models.CharField(_("客户端标识"), max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The phone's key for adding a free item (a retried "add" stores it once).
    add_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "grid_code"
    scope_reads = "ledgers"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务事项")
        verbose_name_plural = _("任务事项")
        ordering = ["part", "pk"]
        indexes = [
            # Completion per grid: one aggregate over a task's items grouped by grid.
            models.Index(fields=["task", "grid_code", "status"], name="fieldwork_taskitem_tally"),
        ]
        constraints = [
            one_per_client_key("done_by", name="one_tick_per_client_key"),
            one_per_client_key("added_by", key="add_key", name="one_add_per_client_key"),
        ]

    def __str__(self) -> str:
        return self.label


class TaskTick(models.Model):
    """Every tick of an item as it arrived (the item keeps only its latest state). The phone's
    ``client_key`` is unique per person here, so a tick resent late by the offline outbox —
    even after a later change of the item — is recognised and changes nothing."""

    item = models.ForeignKey(TaskItem, on_delete=models.PROTECT, related_name="ticks")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=ItemStatus.choices)
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    client_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("事项办理记录")
        verbose_name_plural = _("事项办理记录")
        ordering = ["item", "at", "pk"]
        constraints = [one_per_client_key("by")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.status} {self.at:%Y-%m-%d %H:%M}"
