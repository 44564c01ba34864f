from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Append-only record of a sensitive act: who, what, why, when and from where."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
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

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_type}#{self.target_id}"
