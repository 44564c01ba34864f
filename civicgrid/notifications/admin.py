from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civicgrid.core.pii import mask_phone
from civicgrid.notifications.choices import Channel
from civicgrid.notifications.models import OutboxMessage
from civicgrid.notifications.services import outbox_requeue


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Watch deliveries and requeue failures; addresses stay masked and rows read-only."""

    list_display = (
        "created_at",
        "channel",
        "masked_address",
        "subject",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "channel")
    search_fields = ("subject",)
    fields = (
        "channel",
        "masked_address",
        "subject",
        "body",
        "payload",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    )
    readonly_fields = fields
    actions = ["requeue"]

    @admin.display(description=_("地址"))
    def masked_address(self, obj: OutboxMessage) -> str:
        if obj.channel == Channel.EMAIL:
            name, _at, domain = obj.address.partition("@")
            return f"{name[:1]}***@{domain}" if domain else mask_phone(obj.address)
        return mask_phone(obj.address)

    @admin.action(description=_("重新发送所选的失败消息"))
    def requeue(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = outbox_requeue(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("已重新排队 %(n)s 条消息。") % {"n": count})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The change view is read-only; the requeue action needs change permission.
        return obj is None and super().has_change_permission(request)
