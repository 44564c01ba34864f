"""议事会 (community councils) and resident proposals (docs/architecture.md "议事会").

Every row carries the community's 12-digit code (``community_code``) so staff lists use
``visible_to`` like any other scoped data. Votes and supports are never deleted: a vote is
immutable once cast (one per present member and item, a unique constraint), a withdrawn
support keeps its row with the time it was withdrawn."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.participation.councils.choices import (
    Decision,
    FollowUp,
    ItemKind,
    MeetingStatus,
    MemberRole,
    PassBase,
    ProposalStatus,
    VoteChoice,
)


class CommunityScoped(models.Model):
    community_code = models.CharField(_("社区编码"), max_length=12, db_index=True)

    # Jurisdiction (core.scoping): staff of the community or of its street read the council's
    # work like the community's cases; residents reach proposals through their own selector.
    scope_field = "community_code"
    scope_reads = "cases"

    class Meta:
        abstract = True


class Council(CommunityScoped):
    name = models.CharField(_("名称"), max_length=100)
    # The rules are data (ARCHITECTURE rule 5): quorum = more than quorum_ratio of the members
    # present; a motion passes with more than pass_ratio of the votes for, counted over
    # pass_base (votes cast or members present).
    quorum_ratio = models.DecimalField(
        _("法定人数比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.99"))],
        help_text=_("出席人数须超过成员总数的该比例"),
    )
    pass_ratio = models.DecimalField(
        _("通过比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.99"))],
        help_text=_("赞成票须超过计票基数的该比例"),
    )
    pass_base = models.CharField(
        _("计票基数"), max_length=10, choices=PassBase.choices, default=PassBase.CAST
    )
    support_threshold = models.PositiveSmallIntegerField(
        _("议题支持门槛"), default=10, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(_("成立时间"), auto_now_add=True)
    retired_on = models.DateField(_("撤销日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("议事会")
        verbose_name_plural = _("议事会")
        ordering = ["community_code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community_code"],
                condition=models.Q(retired_on__isnull=True),
                name="councils_one_active_per_community",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("议事会职务"), max_length=20, choices=MemberRole.choices)
    # A resident's or a cadre's account, when the member has one (optional).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("议事会成员")
        verbose_name_plural = _("议事会成员")
        ordering = ["council", "role", "id"]

    def __str__(self) -> str:
        return self.name


class Proposal(CommunityScoped):
    """A resident's issue for the council. Plain text: templates escape it."""

    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("内容"), max_length=4000)
    address = models.CharField(_("地点"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提议人"),
        on_delete=models.PROTECT,
        related_name="council_proposals",
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.COLLECTING,
        db_index=True,
    )
    # Active supports, kept with each support and withdrawal in the same transaction.
    support_count = models.PositiveIntegerField(_("支持人数"), default=0)
    created_at = models.DateTimeField(_("提出时间"))
    ready_at = models.DateTimeField(_("达到门槛时间"), null=True, blank=True)
    decline_reason = models.CharField(_("不予采纳理由"), max_length=500, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("居民议题")
        verbose_name_plural = _("居民议题")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community_code", "status"], name="councils_prop_comm")]

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_supports"
    )
    at = models.DateTimeField(_("支持时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("议题支持")
        verbose_name_plural = _("议题支持")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="councils_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.user_id}"


class Meeting(CommunityScoped):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField(_("会议时间"), db_index=True)
    place = models.CharField(_("地点"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    convened_at = models.DateTimeField(_("开会时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("闭会时间"), null=True, blank=True)
    # A meeting closed before its scheduled time keeps why (services.meeting_close): residents
    # told of the time must be able to see that it ended early, and on what grounds.
    early_close_reason = models.CharField(_("提前闭会理由"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("议事会会议")
        verbose_name_plural = _("议事会会议")
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return f"{self.council} {self.held_at:%Y-%m-%d}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("出席"), default=False)

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = _("出席")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="councils_attend_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}"


class AgendaItem(CommunityScoped):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    kind = models.CharField(_("类型"), max_length=10, choices=ItemKind.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    title = models.CharField(_("议题"), max_length=100)
    discussion = models.TextField(_("讨论记录"), max_length=10000, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind=ItemKind.CASE) & models.Q(case__isnull=False))
                | (models.Q(kind=ItemKind.PROPOSAL) & models.Q(proposal__isnull=False)),
                name="councils_item_names_its_subject",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("表决"), max_length=10, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(_("表决时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="councils_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.member_id} {self.choice}"


class Resolution(CommunityScoped):
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="resolution")
    decision = models.CharField(_("决议事项"), max_length=20, choices=Decision.choices)
    text = models.TextField(_("决议内容"), max_length=4000)
    votes_for = models.PositiveSmallIntegerField(_("赞成"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("反对"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权"), default=0)
    responsible = models.CharField(_("责任人"), max_length=50)
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(
        _("落实情况"),
        max_length=20,
        choices=FollowUp.choices,
        default=FollowUp.IN_PROGRESS,
        db_index=True,
    )
    resolved_at = models.DateTimeField(_("决议时间"), db_index=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")
        ordering = ["-resolved_at", "-id"]

    def __str__(self) -> str:
        return self.text[:30]


class ResolutionUpdate(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="updates")
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("落实情况"), max_length=20, choices=FollowUp.choices)
    note = models.CharField(_("进展说明"), max_length=500)

    class Meta:
        verbose_name = _("决议落实进展")
        verbose_name_plural = _("决议落实进展")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.note[:30]
