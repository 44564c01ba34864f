"""联席会议: the command centre meets the departments about cases that bounce between them.

A meeting belongs to the jurisdiction it was convened for (``region_code``, a street or a
district code, docs/architecture.md rule 1); the cases on its agenda lie inside it and the
departments invited serve it. A decision per case (lead department, assisting departments,
a new deadline) is recorded on the agenda item and applied to the case through
``case_transition`` only (rule 2). Nothing is deleted: a meeting ends closed.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role
from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.participation.joint.choices import EARLY_CLOSE_REASON_MAX, MeetingStatus


class JointMeetingQuerySet(ScopedQuerySet[Any]):
    def visible_to(self, user: Any) -> Self:
        """The command centre by code prefix; a department user the meetings their department
        was invited to, once convened (a draft is still the convener's)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if getattr(user, "role", None) == Role.DEPARTMENT and not user.is_superuser:
            if user.department_id is None:
                return self.none()
            return self.filter(
                invitations__department_id=user.department_id,
                status__in=[MeetingStatus.CONVENED, MeetingStatus.CLOSED],
            )
        return super().visible_to(user)


class JointMeeting(models.Model):
    title = models.CharField(_("会议名称"), max_length=100)
    starts_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("会议地点"), max_length=100)
    # The convener's jurisdiction the meeting is for (street 9 digits or district 6).
    region_code = models.CharField(_("辖区编码"), max_length=12, db_index=True)
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("召集人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    participants = models.TextField(
        _("其他参会人员"), blank=True, help_text=_("每行一人:姓名 单位/职务")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    convened_at = models.DateTimeField(_("召集时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Why it was closed before ``starts_at`` (the departments were told that time); blank
    # when it closed at or after it (services.meeting_close).
    early_close_reason = models.CharField(
        _("提前闭会理由"), max_length=EARLY_CLOSE_REASON_MAX, blank=True
    )

    scope_field = "region_code"
    scope_reads = "cases"
    objects = JointMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["region_code", "-starts_at"], name="joint_meeting_region")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED


class Invitation(models.Model):
    """A department invited to the meeting; its users read the meeting and get the minutes."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.PROTECT, related_name="invitations")
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("参会部门")
        verbose_name_plural = _("参会部门")
        ordering = ["department__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "department"], name="jointmeetings_one_invitation_per_dept"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.department_id}"


class AgendaItem(models.Model):
    """A case on the agenda and the meeting's decision about it (kept even if applied later)."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("事件"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("列入时间"), default=timezone.now)
    lead_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("主办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assist_departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("协办部门"), blank=True, related_name="+"
    )
    due_days = models.PositiveSmallIntegerField(_("处置时限(工作日)"), null=True, blank=True)
    decision_note = models.TextField(_("决定说明"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("执行时间"), null=True, blank=True)
    # The one CaseEvent the application wrote (a dispatch, or a supervision with the new
    # deadline when the lead department already had the case).
    applied_event = models.ForeignKey(
        "cases.CaseEvent",
        verbose_name=_("执行记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("会议议题")
        verbose_name_plural = _("会议议题")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="jointmeetings_case_once"),
            models.CheckConstraint(
                condition=Q(due_days__isnull=True) | Q(due_days__gte=1, due_days__lte=60),
                name="jointmeetings_due_days_1_60",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.case_id}"

    @property
    def decided(self) -> bool:
        return self.decided_at is not None
