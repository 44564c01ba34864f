from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Schema
from pydantic import Field


class PlaceOut(Schema):
    code: str
    name: str


class PortalLocateOut(Schema):
    found: bool
    message: str
    community: PlaceOut | None = None
    grid: PlaceOut | None = None
    url: str = ""


class CardOut(Schema):
    id: int
    name: str
    phone: str
    service_hours: str
    photo_url: str


class PortalGridOut(Schema):
    code: str
    name: str
    geometry: dict[str, Any]
    workers: list[CardOut]


class NoticeAttachmentOut(Schema):
    name: str
    url: str


class NoticePublicOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    starts_on: str
    ends_on: str | None
    pinned: bool
    url: str
    targets: list[str]
    attachments: list[NoticeAttachmentOut]


class NoticeStaffOut(NoticePublicOut):
    status: str
    status_label: str
    target_codes: list[str]
    created_by: str
    reviewed_by: str
    published_at: str | None
    return_reason: str
    withdraw_reason: str
    read_count: int


class PortalOut(Schema):
    community: PlaceOut
    street: PlaceOut | None
    grids: list[PortalGridOut]
    notices: list[NoticePublicOut]


class DisclosureOut(Schema):
    region: PlaceOut
    months: list[str]
    figures: dict[str, Any] | None


class NoticeIn(Schema):
    kind: str = Field("notice", pattern="^(notice|policy)$")
    title: str = Field(..., max_length=100)
    body: str = Field(..., max_length=10000)
    targets: list[str] = Field(..., max_length=50)
    starts_on: date
    ends_on: date | None = None
    pinned: bool = False


class NoticeReasonIn(Schema):
    reason: str = Field("", max_length=200)


class ResidentClaimOut(Schema):
    id: int
    name: str
    username: str
    community_code: str
    community: str
    status: str
    status_label: str
    source_label: str
    since: str
    decided_at: str
    decided_by: str
    reason: str


class ResidentDecisionIn(Schema):
    decision: str = Field(
        ..., pattern="^(confirm|reject)$", description="confirm 确认 / reject 驳回"
    )
    reason: str = Field("", max_length=200, description="驳回理由(驳回时必填)")
