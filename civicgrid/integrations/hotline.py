"""The 12345 hotline (docs/integrations.md "12345 hotline").

In-bound: ``hotline_order_receive`` turns a work order (工单) into a case through
``cases.services.case_report`` (channel hotline), or, for an ``order_no`` already seen,
records what changed: identical → nothing, new content or deadline → an update row, 催办
(``urge``) → the system's supervision step (``case_transition(action=SUPERVISE)``). The answer is
the same for every send of one order.

Out-bound: every step of a hotline case (a ``CaseEvent`` row) is queued in the notifications
outbox for the key's webhook URL, in the transaction that wrote the step, so the outbox's
retries and exactly-once claim apply (``notifications.delivery``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases.choices import OPEN_STATUSES, Action, Channel
from civicgrid.cases.models import Case, CaseEvent, Category
from civicgrid.cases.services import case_report
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.integrations.keys import _pepper
from civicgrid.integrations.models import ApiKey, HotlineOrder, HotlineOrderUpdate
from civicgrid.notifications.choices import Channel as OutChannel
from civicgrid.notifications.models import OutboxMessage

# The minor category an order lands in when its category text matches none of ours by code
# or exact name; the text is kept at the head of the description so the desk can re-file it.
DEFAULT_FALLBACK = "2299"


@dataclass(frozen=True)
class Order:
    order_no: str
    received_at: datetime
    caller_name: str
    caller_phone: str
    address: str
    category: str
    content: str
    deadline: datetime | None = None
    lat: float | None = None
    lng: float | None = None
    urge: bool = False
    urge_note: str = ""


def map_category(text: str) -> tuple[Category, bool]:
    """(category, fell back): by minor-category code, else by exact minor name, else the
    fallback category (setting ``HOTLINE_FALLBACK_CATEGORY``)."""
    text = text.strip()
    current = Category.objects.current().minors()
    found = current.filter(code=text).first() or current.filter(name=text).first()
    if found is not None:
        return found, False
    code = settings.HOTLINE_FALLBACK_CATEGORY or DEFAULT_FALLBACK
    fallback = current.filter(code=code).first()
    if fallback is None:
        raise ValidationError({"category": _("无法匹配分类,且兜底分类未配置")})
    return fallback, True


def _fingerprint(order: Order) -> str:
    # Keyed: the phone number is part of the content and must not be guessable from the hash.
    data = json.dumps(
        [
            order.caller_name,
            order.caller_phone,
            order.address,
            order.category,
            order.content,
            order.deadline.isoformat() if order.deadline else "",
            order.lat,
            order.lng,
            order.urge,
            order.urge_note,
        ],
        ensure_ascii=False,
    )
    return hmac.new(_pepper(), data.encode(), hashlib.sha256).hexdigest()


def answer(record: HotlineOrder) -> dict[str, Any]:
    """What the hotline gets back for an order, identical for every send of it."""
    return {
        "order_no": record.order_no,
        "case_number": record.case.number,
        "category_code": record.case.category.code,
        "received_at": timezone.localtime(record.received_at),
    }


def _description(order: Order, fell_back: bool) -> str:
    if fell_back and order.category.strip():
        return _("【热线分类:%(text)s】") % {"text": order.category.strip()} + order.content
    return order.content


@transaction.atomic
def hotline_order_receive(*, key: ApiKey, order: Order) -> dict[str, Any]:
    record = (
        HotlineOrder.objects.select_for_update()
        .select_related("case", "case__category")
        .filter(order_no=order.order_no)
        .first()
    )
    if record is None:
        try:
            with transaction.atomic():
                return answer(_create(key, order))
        except IntegrityError:
            # Another request with the same order_no won the race: answer as a repeat.
            record = HotlineOrder.objects.select_related("case", "case__category").get(
                order_no=order.order_no
            )
    if record.api_key_id != key.pk:
        # One system's order numbers are not another's to update.
        raise ValidationError({"order_no": _("该工单号已由其他系统提交")})
    _update(record, order)
    return answer(record)


def _create(key: ApiKey, order: Order) -> HotlineOrder:
    category, fell_back = map_category(order.category)
    case = case_report(
        channel=Channel.HOTLINE,
        category=category,
        description=_description(order, fell_back),
        lat=order.lat,
        lng=order.lng,
        address=order.address,
        reporter_name=order.caller_name,
        reporter_phone=order.caller_phone,
        actor=key.service_user,
        at=min(order.received_at, timezone.now()),
    )
    service = key.service_user
    if not service.in_scope(case.grid_code, reads="cases"):
        # A key reports inside its own jurisdiction only (rule 8: writes check scope).
        raise ValidationError({"address": _("工单地点不在该接口的管辖范围内")})
    return HotlineOrder.objects.create(
        order_no=order.order_no,
        api_key=key,
        case=case,
        received_at=order.received_at,
        deadline=order.deadline,
        category_text=order.category[:100],
        fingerprint=_fingerprint(order),
    )


def _update(record: HotlineOrder, order: Order) -> None:
    fingerprint = _fingerprint(order)
    if hmac.compare_digest(fingerprint, record.fingerprint):
        return
    changed: list[str] = []
    notes: list[str] = []
    case = record.case
    if order.content.strip() and order.content.strip() not in case.description:
        changed.append("content")
        notes.append(order.content.strip())
    if order.deadline != record.deadline:
        changed.append("deadline")
        record.deadline = order.deadline
    if order.urge and case.status in OPEN_STATUSES:
        changed.append("urge")
        note = order.urge_note.strip() or _("12345热线催办")
        try:
            case_transition(case=case, action=Action.SUPERVISE, actor=None, note=note[:200])
        except TransitionError:
            # Not every status can be supervised (a case awaiting acceptance is already at
            # the desk); the urge is still recorded below.
            notes.append(note)
    record.fingerprint = fingerprint
    record.updated_at = timezone.now()
    record.save(update_fields=["fingerprint", "updated_at", "deadline"])
    if changed or notes:
        HotlineOrderUpdate.objects.create(
            order=record, changed=changed or ["other"], note="\n".join(notes)
        )


# --- status pushed back to the hotline -----------------------------------------------------


def status_payload(case: Case, event: CaseEvent, order: HotlineOrder) -> dict[str, Any]:
    """What the hotline hears about a step: the public facts (as the Open311 view and the
    tracking page show them), never staff names or internal notes."""
    from civicgrid.cases.presenters import present_event

    step = present_event(event, audience="public")
    return {
        "kind": "hotline_status",
        "order_no": order.order_no,
        "case_number": case.number,
        "status": event.to_status,
        "status_label": step["to_status_label"],
        "action": event.action,
        "action_label": step["action_label"],
        "closed": event.to_status not in OPEN_STATUSES,
        "at": event.at.isoformat(),
        "event_id": event.pk,
    }


def queue_status_push(event: CaseEvent) -> OutboxMessage | None:
    """Queue one outbox message for a step of a hotline case whose key has a webhook."""
    if event.action == Action.REPORT:
        return None  # the hotline sent the order; the order's answer already told it
    order = (
        HotlineOrder.objects.select_related("api_key", "case").filter(case_id=event.case_id).first()
    )
    if order is None or not order.api_key.webhook_url:
        return None
    payload = status_payload(order.case, event, order)
    message = OutboxMessage(
        channel=OutChannel.WEBHOOK,
        address=order.api_key.webhook_url,
        subject=f"{order.order_no} {payload['status_label']}",
        body=payload["action_label"],
        payload=payload,
        dedupe_key=f"hotline:{event.pk}",
    )
    OutboxMessage.objects.bulk_create([message], ignore_conflicts=True)
    from civicgrid.notifications.tasks import deliver_outbox

    transaction.on_commit(deliver_outbox.enqueue)
    return message


def on_case_event_saved(sender: Any, instance: CaseEvent, created: bool, **kwargs: Any) -> None:
    """post_save of CaseEvent, connected in IntegrationsConfig.ready()."""
    if not created or kwargs.get("raw") or instance.action == Action.REPORT:
        return
    # The case is the in-memory object the workflow just saved (no query): only hotline cases
    # go on to look for their order, so other cases' steps cost nothing more.
    if instance.case.channel != Channel.HOTLINE:
        return
    if not HotlineOrder.objects.filter(case_id=instance.case_id).exists():
        return
    queue_status_push(instance)
