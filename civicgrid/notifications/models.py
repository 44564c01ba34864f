from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core.pii import EncryptedTextField
from civicgrid.notifications.choices import Channel, OutboxStatus
from civicgrid.notifications.querysets import NotificationQuerySet


class Notification(models.Model):
    """One message in a person's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类别"), max_length=30)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    target_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=150, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # selectors.inbox: one person's messages, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            # selectors.unread_count runs on every page (the header badge).
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"
            ),
        ]
        constraints = [
            # services.notify relies on this (ignore_conflicts) so that two runs of the same
            # job, even in parallel, tell a person once.
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="%(app_label)s_%(class)s_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxMessage(models.Model):
    """A message for an outside channel, written in the same transaction as the event and
    sent afterwards by a background task (``notifications.delivery``)."""

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    # An e-mail address or phone number: personal data, encrypted at rest.
    address = EncryptedTextField(_("地址"), blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    payload = models.JSONField(_("附加数据"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at"]
        indexes = [
            # delivery.deliver_due: pending messages whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=OutboxStatus.PENDING),
                name="outbox_due",
            ),
            # delivery.release_stale: claims abandoned by a worker that died mid-send.
            models.Index(
                fields=["claimed_at"],
                condition=Q(status=OutboxStatus.SENDING),
                name="outbox_sending",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="%(app_label)s_%(class)s_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject} ({self.get_status_display()})"
