"""Writes of the community portal: notices (draft → review → publish/return → withdraw),
read counts, grid workers' public cards and the monthly disclosure. Pages and the API call
these same functions (docs/architecture.md "Community portal")."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core.audit import audit_record
from civicgrid.geo.models import Grid, Region
from civicgrid.participation.choices import (
    NOTICE_PUBLISHERS,
    NOTICE_STAFF,
    STREET_PUBLISHERS,
    NoticeStatus,
)
from civicgrid.participation.models import (
    GridWorkerCard,
    Notice,
    NoticeAttachment,
    NoticeRead,
    NoticeTarget,
)

MAX_TARGETS = 50
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".txt"}
EDITABLE = (NoticeStatus.DRAFT, NoticeStatus.RETURNED)
SESSION_READS = "participation_read_notices"
STREET_LENGTH = 9


def _is_staff_writer(user: Any) -> bool:
    return bool(user.is_superuser or user.role in NOTICE_STAFF)


def resolve_targets(user: Any, codes: Iterable[str]) -> list[tuple[str, str]]:
    """(code, name) of each target, after checking every one: it must name a current grid, a
    community or a street, and lie inside the user's own jurisdiction (rule 8: writes check
    every object they touch). Raises ValidationError naming the first bad code."""
    wanted = sorted({str(c).strip() for c in codes if str(c).strip()})
    if not wanted:
        raise ValidationError({"targets": _("请至少选择一个发布范围(网格、社区或街道)")})
    if len(wanted) > MAX_TARGETS:
        raise ValidationError({"targets": _("发布范围最多 %(n)s 个") % {"n": MAX_TARGETS}})
    regions = {
        r.code: r.short_name or r.name
        for r in Region.objects.filter(
            code__in=wanted, level__in=("street", "community"), retired_on__isnull=True
        )
    }
    grids = {g.code: g.name for g in Grid.objects.current().filter(code__in=wanted)}
    found: list[tuple[str, str]] = []
    for code in wanted:
        name = regions.get(code) or grids.get(code)
        # Outside the jurisdiction reads the same as missing: nobody learns what exists.
        if name is None or not (user.sees_everything or user.in_scope(code, reads="map")):
            raise ValidationError(
                {"targets": _("发布范围 %(code)s 不存在或不在您的管辖范围内") % {"code": code}}
            )
        found.append((code, name))
    return found


def _common_code(codes: Sequence[str]) -> str:
    """The smallest official division holding every code (a grid, community, street...)."""
    first = min(codes)
    last = max(codes)
    shared = 0
    while shared < min(len(first), len(last)) and first[shared] == last[shared]:
        shared += 1
    prefix = first[:shared]
    for length in (15, 12, 9, 6, 4, 2):
        if len(prefix) >= length:
            return prefix[:length]
    return ""


def _check_attachments(files: Sequence[Any], already: int = 0) -> None:
    if len(files) + already > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("附件最多 %(n)s 个") % {"n": MAX_ATTACHMENTS}})
    for upload in files:
        ext = os.path.splitext(upload.name or "")[1].lower()
        if ext not in ATTACHMENT_TYPES:
            raise ValidationError(
                {"attachments": _("附件“%(name)s”的类型不支持") % {"name": upload.name}}
            )
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {"attachments": _("附件“%(name)s”超过 10 MB") % {"name": upload.name}}
            )


def _check_fields(title: str, body: str, starts_on: date, ends_on: date | None) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("请填写标题")
    elif len(title.strip()) > 100:
        errors["title"] = _("标题最多 100 字")
    if not body.strip():
        errors["body"] = _("请填写正文")
    elif len(body) > 10000:
        errors["body"] = _("正文最多 10000 字")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def notice_draft(
    *,
    actor: Any,
    title: str,
    body: str,
    targets: Iterable[str],
    starts_on: date,
    ends_on: date | None = None,
    kind: str = "notice",
    pinned: bool = False,
    attachments: Sequence[Any] = (),
) -> Notice:
    if not _is_staff_writer(actor):
        raise PermissionDenied
    _check_fields(title, body, starts_on, ends_on)
    found = resolve_targets(actor, targets)
    _check_attachments(attachments)
    notice = Notice.objects.create(
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        scope_code=_common_code([c for c, _n in found]),
        starts_on=starts_on,
        ends_on=ends_on,
        pinned=pinned,
        created_by=actor,
    )
    NoticeTarget.objects.bulk_create(NoticeTarget(notice=notice, code=c, name=n) for c, n in found)
    _add_attachments(notice, attachments)
    return notice


def _add_attachments(notice: Notice, attachments: Sequence[Any]) -> None:
    for upload in attachments:
        NoticeAttachment.objects.create(
            notice=notice, file=upload, name=os.path.basename(upload.name or "")[:150]
        )


@transaction.atomic
def notice_update(
    *,
    notice: Notice,
    actor: Any,
    title: str,
    body: str,
    targets: Iterable[str],
    starts_on: date,
    ends_on: date | None = None,
    kind: str = "notice",
    pinned: bool = False,
    attachments: Sequence[Any] = (),
) -> Notice:
    """Change a draft or a returned notice; a published one is withdrawn and drafted anew."""
    if notice.status not in EDITABLE:
        raise ValidationError(_("只有草稿或被退回的公告可以修改"))
    _check_fields(title, body, starts_on, ends_on)
    found = resolve_targets(actor, targets)
    _check_attachments(attachments, already=notice.attachments.count())
    notice.kind = kind
    notice.title = title.strip()
    notice.body = body.strip()
    notice.starts_on = starts_on
    notice.ends_on = ends_on
    notice.pinned = pinned
    notice.scope_code = _common_code([c for c, _n in found])
    notice.save()
    notice.targets.exclude(code__in=[c for c, _n in found]).delete()
    have = set(notice.targets.values_list("code", flat=True))
    NoticeTarget.objects.bulk_create(
        NoticeTarget(notice=notice, code=c, name=n) for c, n in found if c not in have
    )
    _add_attachments(notice, attachments)
    return notice


def may_publish(user: Any, notice: Notice) -> bool:
    """A secretary publishes for their community and its grids; a notice reaching a street
    needs the street command centre (or the system administrator)."""
    if not (user.is_superuser or user.role in NOTICE_PUBLISHERS):
        return False
    street_wide = any(len(t.code) <= STREET_LENGTH for t in notice.targets.all())
    if street_wide and not (user.is_superuser or user.role in STREET_PUBLISHERS):
        return False
    return all(
        user.sees_everything or user.in_scope(t.code, reads="map") for t in notice.targets.all()
    )


def _move(notice: Notice, frm: Iterable[str], to: str, **fields: Any) -> Notice:
    """Compare-and-set on the status, so two reviewers cannot both act on one notice."""
    updated = Notice.objects.filter(pk=notice.pk, status__in=list(frm)).update(status=to, **fields)
    if not updated:
        raise ValidationError(_("该公告的状态已变化,请刷新后重试"))
    notice.refresh_from_db()
    return notice


def notice_submit(*, notice: Notice, actor: Any) -> Notice:
    """The drafter sends the notice for review (待审核)."""
    return _move(notice, EDITABLE, NoticeStatus.PENDING, return_reason="")


def notice_publish(*, notice: Notice, actor: Any, request: Any = None) -> Notice:
    if not may_publish(actor, notice):
        raise PermissionDenied(
            _("您无权发布该公告:社区公告由社区书记发布,街道公告由街道网格管理中心发布")
        )
    notice = _move(
        notice,
        (NoticeStatus.PENDING, NoticeStatus.DRAFT, NoticeStatus.RETURNED),
        NoticeStatus.PUBLISHED,
        reviewed_by=actor,
        published_at=timezone.now(),
    )
    audit_record(actor=actor, action="notice_publish", target=notice, request=request)
    return notice


def notice_return(*, notice: Notice, actor: Any, reason: str) -> Notice:
    if not may_publish(actor, notice):
        raise PermissionDenied(_("您无权审核该公告"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回理由")})
    return _move(
        notice,
        (NoticeStatus.PENDING,),
        NoticeStatus.RETURNED,
        reviewed_by=actor,
        return_reason=reason[:200],
    )


def notice_withdraw(*, notice: Notice, actor: Any, reason: str, request: Any = None) -> Notice:
    """Take a published notice off the portal; the record, its reads and attachments stay."""
    if not may_publish(actor, notice):
        raise PermissionDenied(_("您无权撤回该公告"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤回理由")})
    notice = _move(
        notice,
        (NoticeStatus.PUBLISHED,),
        NoticeStatus.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdraw_reason=reason[:200],
    )
    audit_record(
        actor=actor, action="notice_withdraw", target=notice, reason=reason, request=request
    )
    return notice


def notice_count_read(notice: Notice, request: Any) -> bool:
    """Count one read: once per signed-in user (a row), once per browser session for anyone
    else (the notice id kept in their own session; no data about them is stored)."""
    user = request.user
    if user.is_authenticated:
        try:
            with transaction.atomic():
                NoticeRead.objects.create(notice=notice, user=user)
        except IntegrityError:
            return False
    else:
        seen = list(request.session.get(SESSION_READS, []))
        if notice.pk in seen:
            return False
        request.session[SESSION_READS] = [*seen, notice.pk][-200:]
    Notice.objects.filter(pk=notice.pk).update(read_count=F("read_count") + 1)
    return True


# --- grid workers' public cards -------------------------------------------------------------


def card_save(
    *,
    worker: Any,
    actor: Any,
    display_name: str,
    public_phone: str,
    service_hours: str,
    published: bool,
    photo: Any = None,
) -> GridWorkerCard:
    phone = (public_phone or "").strip()
    errors: dict[str, str] = {}
    digits = phone.replace("-", "").replace(" ", "")
    if phone and not (digits.isdigit() and 7 <= len(digits) <= 20):
        errors["public_phone"] = _("请填写有效的工作电话,如 0851-85551234")
    if published and not phone:
        errors["public_phone"] = _("公开前请填写工作电话")
    if len(service_hours or "") > 100:
        errors["service_hours"] = _("服务时间最多 100 字")
    if errors:
        raise ValidationError(errors)
    card, _created = GridWorkerCard.objects.get_or_create(user=worker)
    card.display_name = (display_name or "").strip()[:50]
    card.public_phone = phone
    card.service_hours = (service_hours or "").strip()
    card.published = published
    card.updated_by = actor
    if photo:
        from civicgrid.cases.photos import photo_validate

        photo_validate(photo)
        card.photo = photo
    card.save()
    return card
