"""Outside systems (docs/integrations.md): API keys, and the 12345 hotline's work orders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A key an outside system presents in ``X-API-Key`` (or Open311's ``api_key``).

    The key acts as its own service user: a row of ``accounts.User`` with a working role and
    scope codes, so every ``visible_to``/``access_*`` rule applies to it unchanged. Only a
    hash of the secret is stored; the full key is shown once, when it is created. Keys are
    never deleted: a revoked key keeps its row (who made it, who revoked it and why)."""

    name = models.CharField(_("名称"), max_length=100)
    owner_system = models.CharField(_("使用系统"), max_length=100)
    # The public part of the key (``civ_<prefix>_<secret>``), shown in lists and logs.
    prefix = models.CharField(_("前缀"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务账号"),
        on_delete=models.PROTECT,
        related_name="api_key",
    )
    # Operation ids (as in /api/v1/openapi.json, plus the Open311 ones) the key may call.
    operations = models.JSONField(_("允许的接口"), default=list)
    rate_per_minute = models.PositiveIntegerField(_("每分钟请求上限"), default=60)
    # Where status changes of the cases this system sent are pushed (the 12345 platform).
    webhook_url = models.URLField(_("状态回推地址"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("吊销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 密钥")
        verbose_name_plural = _("API 密钥")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} (civ_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class HotlineOrder(models.Model):
    """A 12345 hotline work order (工单) and the case it became. ``order_no`` is unique: the
    hotline may send the same order again (retries, updates) and it stays one case."""

    order_no = models.CharField(_("工单号"), max_length=64, unique=True)
    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("来源密钥"), on_delete=models.PROTECT, related_name="orders"
    )
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("事件"), on_delete=models.PROTECT, related_name="hotline_order"
    )
    received_at = models.DateTimeField(_("热线受理时间"))
    # The hotline's own deadline for the order (办结时限), kept beside our stage deadlines.
    deadline = models.DateTimeField(_("热线办结时限"), null=True, blank=True)
    category_text = models.CharField(_("热线分类"), max_length=100, blank=True)
    # Keyed hash of the last payload's content: an identical resend changes nothing.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("12345工单")
        verbose_name_plural = _("12345工单")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.order_no


class HotlineOrderUpdate(models.Model):
    """What a later send of the same order changed (content added, deadline moved, 催办)."""

    order = models.ForeignKey(HotlineOrder, on_delete=models.PROTECT, related_name="updates")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    changed = models.JSONField(_("变化的字段"), default=list)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("12345工单更新")
        verbose_name_plural = _("12345工单更新")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.at:%Y-%m-%d %H:%M}"
