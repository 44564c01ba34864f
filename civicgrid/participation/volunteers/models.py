"""志愿服务: teams of a community, the volunteers in them, activities they sign up for, the
attendance and the service hours credited when an organiser closes an activity.

Every row carries the 12-digit ``community_code`` it belongs to: staff reach it through
``visible_to``/``access_*`` by that code (docs/architecture.md rule 1). A volunteer's phone is
personal data: encrypted, with a blind index for exact lookup, masked by the presenters."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core.pii import EncryptedTextField
from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.participation.volunteers.choices import (
    CHECKIN_EARLY_MINUTES_DEFAULT,
    CHECKIN_RADIUS_M_DEFAULT,
    ActivityStatus,
    CheckinMethod,
    SignupStatus,
    TeamKind,
)


class Team(models.Model):
    scope_field = "community_code"
    scope_reads = "ledgers"

    community_code = models.CharField(_("社区编码"), max_length=12, db_index=True)
    name = models.CharField(_("队伍名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, choices=TeamKind.choices)
    leader = models.ForeignKey(
        "Volunteer",
        verbose_name=_("队长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("简介"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_on = models.DateField(_("解散日期"), null=True, blank=True)

    objects = ScopedQuerySet["Team"].as_manager()

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["community_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community_code", "name"], name="volunteers_team_name_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A resident with an account, or an outside person registered by staff. ``person`` links
    the ledger row when staff know it (party membership, age); it is never shown publicly."""

    scope_field = "community_code"
    scope_reads = "ledgers"

    community_code = models.CharField(_("社区编码"), max_length=12, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("居民账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_profiles",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("人口信息"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    phone_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    skills = models.CharField(_("特长"), max_length=200, blank=True)
    teams = models.ManyToManyField(
        Team, verbose_name=_("所在队伍"), blank=True, related_name="members"
    )
    joined_on = models.DateField(_("加入日期"), default=timezone.localdate)
    retired_on = models.DateField(_("退出日期"), null=True, blank=True)

    objects = ScopedQuerySet["Volunteer"].as_manager()

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["community_code", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community_code"],
                condition=models.Q(user__isnull=False),
                name="volunteers_one_profile_per_community",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    scope_field = "community_code"
    scope_reads = "ledgers"

    team = models.ForeignKey(
        Team, verbose_name=_("志愿服务队"), on_delete=models.PROTECT, related_name="activities"
    )
    community_code = models.CharField(_("社区编码"), max_length=12, db_index=True, editable=False)
    title = models.CharField(_("活动名称"), max_length=100)
    date = models.DateField(_("日期"))
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    places = models.PositiveIntegerField(_("名额"))
    checkin_radius_m = models.PositiveIntegerField(
        _("签到范围(米)"), default=CHECKIN_RADIUS_M_DEFAULT
    )
    description = models.TextField(_("活动说明"), max_length=2000, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("关联事件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task = models.ForeignKey(
        "fieldwork.GridTask",
        verbose_name=_("关联网格任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.OPEN,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Activity"].as_manager()

    class Meta:
        verbose_name = _("志愿活动")
        verbose_name_plural = _("志愿活动")
        ordering = ["date", "starts_at", "pk"]
        indexes = [models.Index(fields=["community_code", "date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.starts_at))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.ends_at))

    @property
    def planned_hours(self) -> Decimal:
        seconds = max((self.end - self.start).total_seconds(), 0)
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))

    @property
    def checkin_opens(self) -> datetime:
        early = getattr(settings, "VOLUNTEER_CHECKIN_EARLY_MINUTES", CHECKIN_EARLY_MINUTES_DEFAULT)
        return self.start - timedelta(minutes=early)


class Signup(models.Model):
    """One volunteer on one activity. Cancelling keeps the row (status cancelled): the record
    stays and the place is free again. Hours are set when the organiser closes the activity."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    status = models.CharField(
        _("状态"), max_length=10, choices=SignupStatus.choices, default=SignupStatus.SIGNED
    )
    signed_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checkin_method = models.CharField(
        _("签到方式"), max_length=10, choices=CheckinMethod.choices, blank=True
    )
    checkin_distance_m = models.PositiveIntegerField(_("签到距离(米)"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    hours = models.DecimalField(
        _("服务时长(小时)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    hours_reason = models.CharField(_("时长调整理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["activity", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="volunteers_signup_once")
        ]
        indexes = [models.Index(fields=["activity", "status"])]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.activity}"
