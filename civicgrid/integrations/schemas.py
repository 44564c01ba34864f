from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator

# Work orders are dated in this century: a year like 0418 is a typo (and would be told back in a
# local-mean-time offset no client can parse).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class HotlineOrderIn(Schema):
    """A 12345 work order (工单). Example in docs/integrations.md."""

    order_no: str = Field(
        ..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="工单号"
    )
    received_at: datetime = Field(..., description="热线受理时间(ISO 8601,含时区)")
    caller_name: str = Field("", max_length=50, description="来电人姓名")
    caller_phone: str = Field("", max_length=20, description="来电人电话")
    address: str = Field("", max_length=200, description="地址描述")
    category: str = Field("", max_length=100, description="热线分类:小类编码或名称")
    content: str = Field(..., min_length=1, max_length=2000, description="诉求内容")
    deadline: datetime | None = Field(None, description="热线办结时限")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    urge: bool = Field(False, description="催办:本次发送为热线对该工单的催办")
    urge_note: str = Field("", max_length=200, description="催办说明")

    @field_validator("received_at", "deadline")
    @classmethod
    def _plausible(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        if not EARLIEST <= value <= LATEST:
            raise ValueError("时间须在 2000 年至 2100 年之间")
        return value

    @field_validator("received_at")
    @classmethod
    def _not_future(cls, value: datetime) -> datetime:
        if value > timezone.now() + timedelta(days=1):
            raise ValueError("受理时间不能晚于当前时间")
        return value


class HotlineOrderOut(Schema):
    order_no: str
    case_number: str = Field(..., description="本平台事件编号")
    category_code: str
    received_at: datetime
