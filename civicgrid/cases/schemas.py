from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from civicgrid.cases.choices import Channel, HandlingLevel, Satisfaction
from civicgrid.core.worktime import WorkUnit


class CategoryChildOut(Schema):
    id: int
    code: str
    name: str
    keywords: str


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    children: list[CategoryChildOut]


class CaseIn(Schema):
    channel: Channel = Field(description="来源渠道")
    category: str = Field(description="小类编码(4 位),如 0102")
    description: str = Field(description="问题描述(最多 2000 字)")
    lat: float | None = Field(None, description="纬度(WGS84)")
    lng: float | None = Field(None, description="经度(WGS84)")
    address: str = Field("", description="地点描述(最多 200 字);无坐标时必填")
    reporter_name: str = Field("", description="反映人姓名(热线、来访,最多 50 字)")
    reporter_phone: str = Field("", description="反映人电话,加密保存,接口只返回脱敏值")
    urgent: bool = Field(False, description="紧急事件,按紧急时限计算")


class CaseFilter(Schema):
    number: str | None = Field(
        None, max_length=32, pattern=r"^[0-9-]+$", description="事件编号(完整编号,或开头部分)"
    )
    status: str | None = Field(None, description="状态")
    category: str | None = Field(None, description="大类或小类编码")
    grid: str | None = Field(None, description="网格或区划编码前缀")
    department: int | None = Field(None, description="承办部门编号")
    overdue: bool = Field(False, description="只看已超期")
    supervised: bool = Field(False, description="只看督办中")
    channel: str | None = Field(None, description="来源渠道")
    date_from: date | None = Field(None, description="上报日期起")
    date_to: date | None = Field(None, description="上报日期止")
    page: int = Field(1, description="页码")
    size: int | None = Field(None, description="每页条数(最多 200)")


class CaseRowOut(Schema):
    id: int
    number: str
    channel: str
    channel_label: str
    category_code: str
    category_name: str
    category_parent_name: str
    summary: str = Field(description="描述开头")
    status: str
    status_label: str
    grid_code: str
    outside_grid: bool
    department: str
    urgent: bool
    supervised: bool
    stage: str
    stage_due_at: datetime | None
    deadline_state: str | None
    address: str
    reported_at: datetime


class CasePageOut(Schema):
    count: int
    page: int
    pages: int
    # Past PAGE_COUNT_CAP the count stops at the cap; follow ``next`` (?after=…) from there.
    capped: bool = False
    next: str = ""
    items: list[CaseRowOut]


class PhotoOut(Schema):
    id: int
    url: str = Field(description="照片地址(需有权查看该事件)")
    thumbnail_url: str = Field(description="缩略图地址")
    at: datetime


class EventOut(Schema):
    """One step. Residents get the public view: who acted, notes, deadlines and data are
    empty; ``result`` carries the handling result (the feedback text)."""

    id: int
    at: datetime
    action: str
    action_label: str
    from_status: str
    from_status_label: str
    to_status: str
    to_status_label: str
    result: str = Field(description="处置结果(反馈内容)")
    actor: str
    actor_role: str
    actor_role_label: str
    actor_department: str
    to_department: str
    stage: str
    deadline: datetime | None
    on_time: bool | None
    next_deadline: datetime | None
    note: str
    detail: str
    data: dict[str, Any]
    photos: list[PhotoOut]


class CaseDetailOut(CaseRowOut):
    audience: str = Field(description="staff(工作人员)或 reporter(反映人,公开视图)")
    category_parent_name: str
    description: str
    lat: float | None
    lng: float | None
    place: str
    is_open: bool
    stage_label: str
    reporter_name: str
    reporter_phone: str
    first_owner: str
    assignee: str
    level: str
    level_label: str
    extension: str
    rework_count: int
    reopen_count: int
    satisfaction: str
    satisfaction_label: str
    supervise_reason: str
    merged_into: str
    merged_into_id: int | None
    allowed_actions: list[str]
    timeline: list[EventOut]
    photos: list[PhotoOut]


class CaseReceiptOut(Schema):
    """What a reporter gets for a case filed where they cannot see it (a point in the next
    street): its number, and where it went, instead of a 404 that would invite a resend."""

    id: int
    number: str
    message: str


class DuplicateOut(Schema):
    id: int
    number: str
    status_label: str
    distance_m: float
    reported_at: datetime
    description: str


# --- one input per action ------------------------------------------------------------------


class NoteIn(Schema):
    note: str = Field("", description="说明(可选)")


class ReasonIn(Schema):
    note: str = Field(..., min_length=1, description="理由(必填)")


class RouteIn(Schema):
    level: HandlingLevel | None = Field(None, description="分流层级;留空按职责清单")
    note: str = ""


class DispatchIn(Schema):
    department: int | None = Field(None, description="承办部门编号;留空按职责清单")
    assignee: int | None = Field(
        None, description="指定承办人(事件所在网格团队中该部门的成员,人员编号);可不填"
    )
    note: str = ""


class FeedbackIn(Schema):
    note: str = Field(..., min_length=1, description="处置情况")


class ExtensionRequestIn(Schema):
    amount: Decimal = Field(..., gt=0, description="延期时长(最多 9999)")
    unit: WorkUnit = Field(WorkUnit.DAYS, description="单位:工作小时或工作日")
    note: str = Field(..., min_length=1, description="延期理由")


class ExtensionApproveIn(Schema):
    amount: Decimal | None = Field(None, gt=0, description="批准时长;留空按申请")
    unit: WorkUnit | None = Field(None, description="单位;留空按申请")
    note: str = ""


class EvaluateIn(Schema):
    satisfaction: Satisfaction = Field(..., description="满意 / 基本满意 / 不满意")
    note: str = ""


class SuperviseIn(Schema):
    note: str = Field(..., min_length=1, description="督办意见")
    amount: Decimal | None = Field(None, gt=0, description="新的办理时限(最多 9999)")
    unit: WorkUnit | None = Field(None, description="时限单位")


class ReassignIn(Schema):
    assignee: int = Field(..., description="接手人员编号")
    note: str = ""


class MergeIn(Schema):
    into: int = Field(..., description="主事件编号(id)")
    note: str = ""
