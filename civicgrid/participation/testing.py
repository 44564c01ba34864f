"""Objects of the community portal for tests and for the permission matrix's world."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from civicgrid.participation.choices import NoticeStatus
from civicgrid.participation.models import GridWorkerCard, Notice, NoticeAttachment, NoticeTarget


def make_notice(
    author: Any,
    target: Any,
    *,
    title: str = "停水通知",
    body: str = "周六停水",
    status: str = NoticeStatus.PUBLISHED,
    days_left: int = 10,
    attachment: bool = False,
) -> Notice:
    """A notice for one grid or division (``target``: a Grid or a Region)."""
    today = timezone.localdate()
    notice = Notice.objects.create(
        title=title,
        body=body,
        scope_code=target.code,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=days_left),
        status=status,
        created_by=author,
    )
    name = getattr(target, "short_name", "") or target.name
    NoticeTarget.objects.create(notice=notice, code=target.code, name=name)
    if attachment:
        upload = ContentFile(b"%PDF-1.4 notice", name="notice.pdf")
        NoticeAttachment.objects.create(notice=notice, file=upload, name="notice.pdf")
    return notice


def make_card(
    worker: Any, *, phone: str = "0851-85550001", published: bool = True
) -> GridWorkerCard:
    return GridWorkerCard.objects.create(
        user=worker, public_phone=phone, service_hours="工作日 9:00-17:30", published=published
    )


def world_notice(world: Any) -> Notice:
    """The matrix's notice: a draft by the cadre for the worker's grid (in the world's
    jurisdiction), with an attachment; created once per world."""
    found = world.objects.get("notice")
    if found is None:
        found = world.objects["notice"] = make_notice(
            world.users.cadre,
            world.city.grids["a1_west"],
            title="矩阵标记公告",
            status=NoticeStatus.DRAFT,
            attachment=True,
        )
    return found


def world_public_notice(world: Any) -> Notice:
    """A published notice with an attachment, for the public pages of the matrix."""
    found = world.objects.get("public_notice")
    if found is None:
        found = world.objects["public_notice"] = make_notice(
            world.users.secretary, world.city.comm_a1, title="公开公告", attachment=True
        )
    return found


def world_card(world: Any) -> GridWorkerCard:
    """The worker's published card with a photo, for the public photo view."""
    from civicgrid.testing.case_pages import png_bytes

    card, _ = GridWorkerCard.objects.get_or_create(
        user=world.users.worker, defaults={"public_phone": "0851-85550001", "published": True}
    )
    if not card.photo:
        card.photo.save("card.png", ContentFile(png_bytes(), name="card.png"), save=True)
    return card


def world_claim(world: Any) -> Any:
    """The second resident's claim to live in community a1 (the secretary's), pending."""
    from django.utils import timezone

    from civicgrid.participation.models import ResidentCommunity

    claim, _ = ResidentCommunity.objects.get_or_create(
        user=world.resident2,
        defaults={"community_code": world.city.comm_a1.code, "since": timezone.now()},
    )
    return claim
