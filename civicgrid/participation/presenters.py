"""What each audience sees of the portal's entities (ARCHITECTURE rule 7, docs/architecture.md
"Community portal").

The public audience gets grid outlines, published cards and published notices only: a card
shows the public work phone from ``GridWorkerCard`` (never ``User.phone``, the account's own
number), and files are reached through the access-checked views, never a media path. Staff see
the review fields and read counts of the notices of their jurisdiction. Values are plain data;
notice bodies are text that templates escape and JavaScript puts in with ``textContent``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.geo.models import Grid, Region
from civicgrid.participation.models import GridWorkerCard, Notice, ResidentCommunity


def present_card(card: GridWorkerCard) -> dict[str, Any]:
    return {
        "id": card.pk,
        "name": card.display_name or card.user.full_name or card.user.username,
        "phone": card.public_phone,
        "service_hours": card.service_hours,
        "photo_url": reverse("participation:card_photo", args=[card.pk]) if card.photo else "",
    }


def present_grid(grid: Grid, cards: list[GridWorkerCard]) -> dict[str, Any]:
    """A grid on the public map: its outline (not personal data) and its workers' cards."""
    return {
        "code": grid.code,
        "name": grid.name,
        "geometry": grid.geometry,
        "workers": [present_card(c) for c in cards],
    }


def present_notice_public(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "kind_label": str(notice.get_kind_display()),
        "title": notice.title,
        "body": notice.body,
        "starts_on": notice.starts_on.isoformat(),
        "ends_on": notice.ends_on.isoformat() if notice.ends_on else None,
        "pinned": notice.pinned,
        "url": reverse("participation:notice", args=[notice.pk]),
        "targets": [t.name for t in notice.targets.all()],
        "attachments": [
            {
                "name": a.name,
                "url": reverse("participation:notice_file", args=[notice.pk, a.pk]),
            }
            for a in notice.attachments.all()
        ],
    }


def present_notice_staff(notice: Notice) -> dict[str, Any]:
    data = present_notice_public(notice)
    data.update(
        status=notice.status,
        status_label=str(notice.get_status_display()),
        target_codes=[t.code for t in notice.targets.all()],
        created_by=str(notice.created_by),
        reviewed_by=str(notice.reviewed_by) if notice.reviewed_by_id else "",
        published_at=notice.published_at.isoformat() if notice.published_at else None,
        return_reason=notice.return_reason,
        withdraw_reason=notice.withdraw_reason,
        read_count=notice.read_count,
        url=reverse("participation:manage_notice", args=[notice.pk]),
    )
    return data


def present_region(region: Region) -> dict[str, Any]:
    return {"code": region.code, "name": region.short_name or region.name, "level": region.level}


def present_claim(claim: ResidentCommunity, communities: dict[str, str]) -> dict[str, Any]:
    """A resident's claim as the community secretary sees it: the resident's name and account,
    the community claimed, where it came from and what was decided (no phone, no ID)."""
    user = claim.user
    return {
        "id": claim.pk,
        "name": user.full_name or user.username,
        "username": user.username,
        "community_code": claim.community_code,
        "community": communities.get(claim.community_code, claim.community_code),
        "status": claim.status,
        "status_label": str(claim.get_status_display()),
        "source_label": str(_("最近一次诉求") if claim.source == "request" else _("本人选择")),
        "since": timezone.localtime(claim.since).strftime("%Y-%m-%d %H:%M"),
        "decided_at": (
            timezone.localtime(claim.decided_at).strftime("%Y-%m-%d %H:%M")
            if claim.decided_at
            else ""
        ),
        "decided_by": str(claim.decided_by) if claim.decided_by_id else "",
        "reason": claim.reason,
    }
