"""The residents' community portal (共建共治共享): grid workers' public cards, notices and the
monthly disclosure. Nothing here holds ledger data; what residents see of each row is decided
in ``presenters.py`` (docs/architecture.md "Community portal")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.participation.choices import ClaimStatus, NoticeKind, NoticeStatus


class GridWorkerCard(models.Model):
    """What a grid worker's 挂牌 shows the public: a work phone meant to be called (never the
    account's own phone), service hours and a photo, shown only once published."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格员"),
        on_delete=models.PROTECT,
        related_name="public_card",
    )
    display_name = models.CharField(_("公示姓名"), max_length=50, blank=True)
    public_phone = models.CharField(_("公开工作电话"), max_length=30, blank=True)
    service_hours = models.CharField(_("服务时间"), max_length=100, blank=True)
    photo = models.ImageField(_("照片"), upload_to="participation/cards/%Y/", blank=True)
    published = models.BooleanField(_("公开"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("网格员公示卡")
        verbose_name_plural = _("网格员公示卡")

    def __str__(self) -> str:
        return self.display_name or str(self.user)


class NoticeQuerySet(ScopedQuerySet["Notice"]):
    def current(self, today: object) -> NoticeQuerySet:
        """Published, started and not yet ended on ``today``."""
        return self.filter(status=NoticeStatus.PUBLISHED, starts_on__lte=today).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today)
        )


class Notice(models.Model):
    """A notice or policy text for chosen grids, communities or a street. Staff see the
    notices issued for their jurisdiction (``scope_code``: the smallest division holding every
    target); residents see published, current ones through the portal."""

    scope_field = "scope_code"

    kind = models.CharField(
        _("类型"), max_length=10, choices=NoticeKind.choices, default=NoticeKind.NOTICE
    )
    title = models.CharField(_("标题"), max_length=100)
    # Plain text: shown escaped with line breaks kept, never as HTML.
    body = models.TextField(_("正文"), max_length=10000)
    scope_code = models.CharField(_("发布范围编码"), max_length=15, db_index=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    pinned = models.BooleanField(_("置顶"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=NoticeStatus.choices,
        default=NoticeStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="notices_drafted",
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices_reviewed",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回理由"), max_length=200, blank=True)
    read_count = models.PositiveIntegerField(_("阅读次数"), default=0)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-pinned", "-starts_on", "-id"]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self) -> str:
        return self.title


class NoticeTarget(models.Model):
    """One grid, community or street a notice is meant for."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("区划/网格编码"), max_length=15, db_index=True)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("公告范围")
        verbose_name_plural = _("公告范围")
        constraints = [
            models.UniqueConstraint(fields=["notice", "code"], name="participation_target_once")
        ]

    def __str__(self) -> str:
        return self.name


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to="participation/notices/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=150)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公告附件")
        verbose_name_plural = _("公告附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class NoticeRead(models.Model):
    """That a signed-in user read a notice (counted once). Anonymous readers are counted once
    per browser session, kept in the session only: nothing about them is stored here."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="participation_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.user_id}"


class Disclosure(models.Model):
    """One month's published figures for a community or a street (信息公开). Stored by
    ``publish_disclosure`` so the page shows what was published, not a moving number."""

    region_code = models.CharField(_("区划编码"), max_length=12)
    month = models.DateField(_("月份"))  # first day of the month
    figures = models.JSONField(_("数据"), default=dict)
    computed_at = models.DateTimeField(_("生成时间"), auto_now=True)
    source = models.CharField(_("数据来源"), max_length=20, default="case_events")

    class Meta:
        verbose_name = _("信息公开")
        verbose_name_plural = _("信息公开")
        ordering = ["region_code", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "month"], name="participation_disclosure_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.month:%Y-%m}"


class ResidentCommunity(models.Model):
    """The community a resident says they live in (residents hold no staff scope): the one
    place councils, proposals and volunteers read it from (``participation.residents``).
    Chosen by the resident (or taken from their latest request when they first act), it counts
    at once; the community secretary confirms or rejects it, and a rejected claim no longer
    counts (the resident may claim again)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("居民"),
        on_delete=models.CASCADE,
        related_name="community_claim",
    )
    community_code = models.CharField(_("社区编码"), max_length=12, db_index=True)
    status = models.CharField(
        _("确认状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    # Where the claim came from: "chosen" by the resident, or "request" (their latest request).
    source = models.CharField(_("来源"), max_length=10, default="chosen")
    since = models.DateTimeField(_("登记时间"))
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("驳回理由"), max_length=200, blank=True)

    # Jurisdiction (core.scoping): the list names residents, so the roles reading ledgers of
    # the community see it, narrowed to their codes.
    scope_field = "community_code"
    scope_reads = "ledgers"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("居民所属社区")
        verbose_name_plural = _("居民所属社区")
        ordering = ["-since", "-id"]
        indexes = [models.Index(fields=["community_code", "status"], name="claim_by_community")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.community_code}"
