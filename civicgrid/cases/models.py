from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.cases.choices import (
    OPEN_STATUSES,
    Action,
    CaseStatus,
    CategoryKind,
    Channel,
    HandlingLevel,
    Satisfaction,
    Stage,
)
from civicgrid.cases.querysets import CaseEventQuerySet, CaseQuerySet, CategoryQuerySet
from civicgrid.core.pii import EncryptedTextField
from civicgrid.core.worktime import WorkUnit


class Category(models.Model):
    """大类 (2-digit code, no parent) or 小类 (4-digit code: parent code + 2 digits)."""

    code = models.CharField(_("编码"), max_length=4, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属大类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(
        _("类别"), max_length=20, choices=CategoryKind.choices, default=CategoryKind.EVENT
    )
    keywords = models.CharField(
        _("关键词"), max_length=200, blank=True, help_text=_("用空格分隔,用于上报时推荐分类")
    )
    retired_on = models.DateField(_("停用日期"), null=True, blank=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件分类")
        verbose_name_plural = _("事件分类")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(parent__isnull=True) & models.Q(code__regex=r"^[0-9]{2}$"))
                | (models.Q(parent__isnull=False) & models.Q(code__regex=r"^[0-9]{4}$")),
                name="%(app_label)s_%(class)s_code_matches_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_major(self) -> bool:
        return self.parent_id is None


class ResponsibilityRule(models.Model):
    """职责清单: who handles a category (optionally only inside a region) and how fast.

    A rule on a 大类 covers its 小类 unless a 小类 has its own; among rules for the same
    category the longest matching region prefix wins (see ``deadlines.rule_for``)."""

    category = models.ForeignKey(
        Category, verbose_name=_("分类"), on_delete=models.PROTECT, related_name="rules"
    )
    region_prefix = models.CharField(
        _("适用区划编码"),
        max_length=15,
        blank=True,
        help_text=_("留空表示全部区域;填写街道或社区编码则只适用于该区域"),
    )
    urgent = models.BooleanField(_("紧急事件时限"), default=False)
    level = models.CharField(_("处置层级"), max_length=20, choices=HandlingLevel.choices)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_rules",
    )
    accept_limit = models.DecimalField(_("受理时限"), max_digits=6, decimal_places=2)
    accept_unit = models.CharField(
        _("受理时限单位"), max_length=10, choices=WorkUnit.choices, default=WorkUnit.HOURS
    )
    dispatch_limit = models.DecimalField(_("分流派遣时限"), max_digits=6, decimal_places=2)
    dispatch_unit = models.CharField(
        _("分流派遣时限单位"), max_length=10, choices=WorkUnit.choices, default=WorkUnit.HOURS
    )
    handle_limit = models.DecimalField(_("处置时限"), max_digits=6, decimal_places=2)
    handle_unit = models.CharField(
        _("处置时限单位"), max_length=10, choices=WorkUnit.choices, default=WorkUnit.DAYS
    )
    verify_limit = models.DecimalField(_("核查时限"), max_digits=6, decimal_places=2)
    verify_unit = models.CharField(
        _("核查时限单位"), max_length=10, choices=WorkUnit.choices, default=WorkUnit.HOURS
    )
    retired_on = models.DateField(_("停用日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("职责清单规则")
        verbose_name_plural = _("职责清单")
        ordering = ["category__code", "region_prefix", "urgent"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "region_prefix", "urgent"],
                condition=models.Q(retired_on__isnull=True),
                name="%(app_label)s_%(class)s_one_active_per_scope",
            ),
            models.CheckConstraint(
                condition=~models.Q(level=HandlingLevel.DEPARTMENT)
                | models.Q(department__isnull=False),
                name="%(app_label)s_%(class)s_department_level_names_department",
            ),
        ]

    def __str__(self) -> str:
        where = self.region_prefix or _("全部区域")
        variant = _("紧急") if self.urgent else _("一般")
        return f"{self.category} · {where} · {variant}"

    def clean(self) -> None:
        # The department a rule names must be one dispatch can reach for the places the rule
        # covers (workflow.dispatch_departments): its region contains the rule's region.
        dept = self.department if self.department_id else None
        if dept is not None and not (self.region_prefix or "").startswith(dept.region_code):
            raise ValidationError(
                {
                    "department": _("“%(dept)s”不负责该规则的全部适用区域,请填写其辖区内的区划编码")
                    % {"dept": dept.name}
                }
            )

    def limit(self, stage: str) -> tuple[float, str] | None:
        """(amount, unit) for a stage that has a time limit, else None."""
        if stage not in (Stage.ACCEPT, Stage.DISPATCH, Stage.HANDLE, Stage.VERIFY):
            return None
        amount = getattr(self, f"{stage}_limit")
        return float(amount), getattr(self, f"{stage}_unit")


class Case(models.Model):
    """An event or request (事件/诉求). Its status changes only through
    ``workflow.case_transition``; its history is the list of ``CaseEvent`` rows."""

    number = models.CharField(_("事件编号"), max_length=32, unique=True)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("分类"), on_delete=models.PROTECT, related_name="cases"
    )
    description = models.TextField(_("描述"))
    urgent = models.BooleanField(_("紧急"), default=False)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    address = models.CharField(_("地点"), max_length=200, blank=True)
    grid = models.ForeignKey(
        "geo.Grid",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # The grid's code, or for a case outside every grid the code of the street (or other
    # region) that took it, so that its command centre sees and fixes it.
    grid_code = models.CharField(_("网格编码"), max_length=15, db_index=True)
    outside_grid = models.BooleanField(_("网格外"), default=False)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反映人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    reporter_name = models.CharField(_("反映人"), max_length=50, blank=True)
    reporter_phone = EncryptedTextField(_("反映人电话"), blank=True)
    reporter_phone_index = models.CharField(max_length=40, blank=True, db_index=True)
    first_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="first_owned_cases",
    )

    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REPORTED
    )
    # Compare-and-set token: every transition bumps it (rule 2).
    version = models.PositiveIntegerField(default=0)
    rule = models.ForeignKey(
        ResponsibilityRule,
        verbose_name=_("适用职责规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(
        _("处置层级"), max_length=20, choices=HandlingLevel.choices, blank=True
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("当前经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    # Where the work happens, so a failed verification goes back to the same hands and a
    # deferred or held case resumes where it stopped.
    handled_in = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    held_from = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)

    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.ACCEPT)
    stage_started_at = models.DateTimeField(_("阶段开始"))
    stage_due_at = models.DateTimeField(_("阶段时限"), null=True, blank=True, db_index=True)
    extension_amount = models.DecimalField(
        _("申请延期"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    extension_unit = models.CharField(max_length=10, choices=WorkUnit.choices, blank=True)

    supervised = models.BooleanField(_("督办"), default=False, db_index=True)
    supervise_reason = models.CharField(_("督办事由"), max_length=200, blank=True)
    # The stage deadline escalate_overdue last escalated (idempotence across runs).
    escalated_for = models.DateTimeField(null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    satisfaction = models.CharField(
        _("评价"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )

    reported_at = models.DateTimeField(_("上报时间"), db_index=True)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    # Jurisdiction (core.scoping): the grid code, and the kind of data for accounts.choices.READS.
    scope_field = "grid_code"
    scope_reads = "cases"

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["-reported_at", "-id"]
        indexes = [
            # The command-centre list filters by status inside a code prefix.
            models.Index(fields=["status", "grid_code"], name="cases_case_status_grid"),
            # escalate_overdue scans open cases whose stage is past due.
            models.Index(fields=["stage", "stage_due_at"], name="cases_case_stage_due"),
            # duplicate_candidates: same category, recent, then distance in Python.
            models.Index(fields=["category", "reported_at"], name="cases_case_category_time"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.category.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """One step of a case's history. Assessment is computed from these rows only, so each
    carries who acted in which role and department, the deadline then in force and whether
    the stage that ended was on time."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("时间"), db_index=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices, db_index=True)
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField(_("操作人角色"), max_length=20, blank=True)
    actor_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("操作人部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The department the case went to, kept so handlers still see cases they once had.
    to_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("派往部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatch_events",
    )
    stage = models.CharField(_("结束的阶段"), max_length=20, choices=Stage.choices, blank=True)
    deadline = models.DateTimeField(_("当时时限"), null=True, blank=True)
    on_time = models.BooleanField(_("按时"), null=True)
    next_deadline = models.DateTimeField(_("新时限"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件记录")
        verbose_name_plural = _("事件记录")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="cases_event_case_at"),
            # The assessment rollup and the screen's "today" read one action over a time range.
            models.Index(fields=["action", "at"], name="cases_event_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def photo_path(instance: CasePhoto, filename: str) -> str:
    at = instance.at
    return f"cases/{at:%Y/%m}/{instance.case.number}-{filename}"


def thumbnail_path(instance: CasePhoto, filename: str) -> str:
    at = instance.at
    return f"cases/{at:%Y/%m}/thumbs/{instance.case.number}-{filename}"


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    image = models.ImageField(_("照片"), upload_to=photo_path)
    thumbnail = models.ImageField(_("缩略图"), upload_to=thumbnail_path, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("事件照片")
        verbose_name_plural = _("事件照片")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.image.name


class CaseNumberSequence(models.Model):
    """Last serial given per prefix and day, so case numbers are short and gap-free."""

    prefix = models.CharField(max_length=15)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "day"], name="%(app_label)s_%(class)s_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.day:%Y%m%d}: {self.last}"
