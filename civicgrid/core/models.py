from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """The trail is append-only in the application: bulk updates and deletes are refused too
    (an operator with database access can still change rows; the hash chain shows it)."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionDenied("审计记录不可修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("审计记录不可删除")


class AuditEntry(models.Model):
    """Append-only record of a sensitive act: who, what, why, when and from where.

    Each entry carries the hash of the one before it (``seq`` order), so editing, deleting or
    inserting a row anywhere breaks the chain from that point (``manage.py verify_audit``;
    docs/architecture.md "Tamper-evident audit trail")."""

    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=50, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=50)
    target_id = models.CharField(_("对象编号"), max_length=50)
    field = models.CharField(_("字段"), max_length=50, blank=True)
    reason = models.TextField(_("事由"), blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)
    result = models.CharField(_("结果"), max_length=20, default="ok")
    seq = models.PositiveBigIntegerField(_("序号"), unique=True, null=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionDenied("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("审计记录不可删除")


class AuditChain(models.Model):
    """The head of the audit hash chain (one row): the last link, taken under a row lock so
    concurrent entries form one line, and the last verification's outcome, which the
    auditor's page shows without re-reading the whole trail."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    # Entries up to anchor_seq were archived to a signed file and pruned; the chain goes on
    # from anchor_hash.
    anchor_seq = models.PositiveBigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_upto = models.PositiveBigIntegerField(default=0)
    broken_seq = models.PositiveBigIntegerField(null=True, blank=True)
    broken_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("审计链")
        verbose_name_plural = _("审计链")

    def __str__(self) -> str:
        return f"audit chain #{self.last_seq}"


class WorkCalendarDay(models.Model):
    """An admin-entered day that overrides the built-in holiday calendar: next year's schedule
    published by the State Council each November, or a local holiday. Read through
    ``core.worktime`` (cached per process), never queried directly by business code."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否上班"))
    note = models.CharField(_("说明"), max_length=50, blank=True, help_text=_("如 春节、调休上班"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("休息")
        return f"{self.date:%Y-%m-%d} {kind} {self.note}".strip()


class IdempotentRequest(models.Model):
    """A write that a client may send more than once (a phone's outbox resending after a lost
    answer): the first run's answer, kept under the client's key so a repeat gets the same
    answer instead of a second record. Written by ``core.idempotency.run_once`` in the same
    transaction as the action itself (docs/architecture.md "Offline field app")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("用户")
    )
    scope = models.CharField(_("操作"), max_length=40, help_text=_("如 fieldwork.report"))
    key = models.CharField(_("客户端标识"), max_length=64)
    status = models.PositiveSmallIntegerField(_("响应状态"), default=0)
    response = models.JSONField(_("响应内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等请求")
        verbose_name_plural = _("幂等请求")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="core_idempotent_request_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


def one_per_client_key(
    owner: str, *, key: str = "client_key", name: str = "one_per_client_key"
) -> models.UniqueConstraint:
    """The constraint behind an offline resend (docs/architecture.md "Offline field app"): a
    phone's key for a record is unique per person, so the same record sent twice is found, not
    stored twice. Records made on the server have no key and are not constrained."""
    return models.UniqueConstraint(
        fields=[owner, key],
        condition=~models.Q(**{key: ""}),
        name=f"%(app_label)s_%(class)s_{name}",
    )
