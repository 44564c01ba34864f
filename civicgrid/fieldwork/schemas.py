"""What the field-work API takes and answers (the phone app and the command centre's map)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

# Primary keys are 64-bit: a larger number names nothing and must not reach the database.
MAX_PK = 2**63 - 1
# One upload from the phone: its offline queue is sent in batches of at most this many points.
MAX_POINTS = 2000


class PatrolStartIn(Schema):
    client_key: str = Field(
        "",
        max_length=64,
        description="手机端生成的唯一标识;同一标识重复提交返回同一次巡查(断网重试不重复开始)",
    )
    grid_id: int | None = Field(
        None, ge=1, le=MAX_PK, description="巡查的网格;不填为本人负责的网格"
    )
    at: datetime | None = Field(None, description="开始时间(离线开始时由手机提供);不填为现在")


class PointIn(Schema):
    # ``at`` is taken as text so that one bad timestamp is refused on its own (with its index
    # and reason) instead of failing the whole batch: the other points of the batch are good.
    at: str = Field(
        max_length=64, description="定位时间,ISO 8601 带时区,如 2026-05-06T09:30:05+08:00"
    )
    lat: float = Field(description="纬度(WGS84)")
    lng: float = Field(description="经度(WGS84)")
    accuracy: float | None = Field(None, description="定位精度(米)")


class PointsIn(Schema):
    points: list[PointIn] = Field(
        max_length=MAX_POINTS, description=f"轨迹点,每批最多 {MAX_POINTS} 个,顺序不限"
    )


class RefusedOut(Schema):
    index: int = Field(description="被拒绝的点在本批中的序号(从 0 开始)")
    reason: str


class UploadOut(Schema):
    accepted: int = Field(description="新保存的点数")
    duplicates: int = Field(description="已保存过的点(同一时刻重复上传),不算错误")
    refused: list[RefusedOut]


class PatrolCaseIn(Schema):
    category: int = Field(ge=1, le=MAX_PK, description="事件小类编号(见 /cases/categories)")
    description: str = Field(max_length=2000, description="问题描述")
    lat: float | None = Field(None, description="纬度(WGS84)")
    lng: float | None = Field(None, description="经度(WGS84)")
    address: str = Field("", max_length=200, description="地点描述;无坐标时必填")
    urgent: bool = Field(False, description="紧急事件")


class PatrolCaseOut(Schema):
    id: int
    number: str = Field(description="事件编号")
    patrol_id: int


class FlagOut(Schema):
    id: int
    patrol_id: int
    kind: str = Field(
        description="jump / stationary / far_outside / few_points / duplicate / backdated"
    )
    kind_label: str
    detail: str = Field(description="原因,含具体数字")
    at: datetime | None
    worker: str = Field(description="网格员姓名")
    worker_id: int
    grid: str = Field(description="网格名称")
    grid_code: str


class PatrolOut(Schema):
    id: int
    worker: str = Field(description="网格员姓名")
    worker_id: int
    grid: str = Field(description="网格名称")
    grid_code: str
    started_at: datetime
    ended_at: datetime | None
    open: bool = Field(description="巡查尚未结束")
    mine: bool = Field(description="是本人的巡查(可上传轨迹、结束)")
    duration_min: int
    distance_m: int = Field(description="里程(米,按 WGS84 椭球计算)")
    inside_pct: int | None = Field(description="轨迹在网格内的长度占比(%)")
    coverage_pct: int | None = Field(description="经过的楼栋(无楼栋时为网格面积)占比(%)")
    point_count: int
    flag_count: int | None = Field(None, description="监察提示条数(列表中给出)")
    flags: list[FlagOut] = Field([], description="监察提示(详情、结束时给出)")


class PatrolPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[PatrolOut]


class PatrolFilter(Schema):
    day: date | None = Field(None, description="开始日期")
    worker: int | None = Field(None, ge=1, le=MAX_PK, description="网格员编号")
    grid: str | None = Field(None, max_length=15, description="网格或区划编码前缀")
    page: int = Field(1, ge=1, le=1_000_000, description="页码")
    size: int | None = Field(None, ge=1, le=200, description="每页条数(最多 200)")


class TrackPointOut(Schema):
    at: datetime
    lat: float
    lng: float
    accuracy: float | None


class TrackOut(Schema):
    patrol_id: int
    points: list[TrackPointOut]


class DayIn(Schema):
    day: date | None = Field(None, description="日期,不填为今天")


class MonthIn(Schema):
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="月份 YYYY-MM,不填为本月")


class ComplianceOut(Schema):
    id: int
    day: date
    status: str = Field(description="compliant / one_only / none / too_short / outside")
    status_label: str
    tone: str = Field(description="日历颜色:ok / warn / bad")
    patrols: int
    minutes: int
    note: str
    worker: str
    worker_id: int
    grid: str
    grid_code: str


class FlagsIn(Schema):
    date_from: date | None = Field(None, description="起始日期,不填为 7 天前")
    date_to: date | None = Field(None, description="截止日期(含),不填为今天")


class FeatureCollectionOut(Schema):
    type: str = Field(description="FeatureCollection")
    features: list[dict[str, Any]]


# ---------------------------------------------------------------------------------------------
# Household visits (入户走访)


class VisitCaseIn(Schema):
    category: int = Field(ge=1, le=MAX_PK, description="事件小类编号")
    description: str = Field(min_length=1, max_length=1000, description="问题描述")
    urgent: bool = False


class VisitCorrectionIn(Schema):
    phone: str = Field("", max_length=30, description="联系电话(更正后的号码)")
    presence: str = Field("", max_length=30, description="人户状态(人口台账的选项代码)")
    occupation: str = Field("", max_length=50, description="职业")
    workplace: str = Field("", max_length=100, description="工作单位")


class VisitIn(Schema):
    person: int | None = Field(None, ge=1, le=MAX_PK, description="走访对象(人口编号)")
    household: int | None = Field(
        None, ge=1, le=MAX_PK, description="走访的户(不填时为走访对象所在户)"
    )
    purpose: str = Field(
        "routine",
        max_length=12,
        description="走访事由:routine 日常走访、care 关爱探访、verify 信息核实、"
        "follow_up 事件回访、other 其他",
    )
    findings: str = Field(max_length=1000, description="走访情况(1–1000 字)")
    follow_up: str = Field("", max_length=200, description="后续跟进")
    visited_at: datetime | None = Field(
        None, description="走访时间(不填为当前时间;不能晚于当前、不能早于 30 天前)"
    )
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    client_key: str = Field(
        "",
        max_length=64,
        description="手机端生成的唯一标识;同一标识重复提交返回同一条走访(断网重试不重复登记)",
    )
    raise_case: VisitCaseIn | None = Field(None, description="走访中发现的问题,转为事件")
    photos: list[str] = Field(
        default_factory=list,
        max_length=3,
        description="现场照片(最多 3 张):JPEG/PNG/WebP 的 base64,或 data:image/...;base64, 形式",
    )
    correction: VisitCorrectionIn | None = Field(
        None, description="走访中核实的台账更正(只填要更正的项;与走访同时保存,记入台账历史)"
    )


class VisitPhotoOut(Schema):
    thumbnail_url: str
    url: str


class VisitOut(Schema):
    id: int
    worker: str = Field(description="网格员姓名")
    worker_id: int
    mine: bool = Field(description="是本人登记的走访")
    grid: str = Field(description="网格名称")
    grid_code: str
    person_id: int | None
    person_name: str = Field(description="走访对象姓名(不含证件号码、电话)")
    household_id: int | None
    household_number: str = Field(description="户号")
    visited_at: datetime
    purpose: str
    purpose_label: str
    findings: str
    follow_up: str
    case_id: int | None = Field(description="由本次走访生成的事件")
    case_number: str
    photos: list[VisitPhotoOut] = []


class VisitPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[VisitOut]


class VisitFilter(Schema):
    person: int | None = Field(None, ge=1, le=MAX_PK, description="走访对象(人口编号)")
    grid: str | None = Field(None, max_length=15, description="网格或区划编码前缀")
    day_from: date | None = Field(None, alias="from", description="起始日期(含)")
    day_to: date | None = Field(None, alias="to", description="截止日期(含)")
    page: int = Field(1, ge=1, le=1_000_000, description="页码")
    size: int | None = Field(None, ge=1, le=200, description="每页条数(最多 200)")


class DueIn(Schema):
    limit: int | None = Field(None, ge=1, le=1000, description="最多返回条数(最多 1000)")
    code: str = Field(
        "",
        max_length=15,
        pattern=r"^(\d{2,15})?$",
        description="只列该区划或网格的名单(须在管辖范围内);管辖范围大于社区时宜按社区查询",
    )


class DueVisitOut(Schema):
    target: str = Field(description="走访对象类型:person(人员)或 household(户)")
    person_id: int | None = Field(description="人员编号(按户走访时为空)")
    person_name: str = Field(description="人员姓名(按户走访时为空)")
    household_id: int | None
    label: str = Field(description="人员姓名,或户所在楼栋和房号")
    grid_code: str
    grid_name: str
    tag_kind: str = Field(description="人群类别,或户类型(如出租户)")
    interval_days: int = Field(description="走访间隔(天)")
    last_visit: date | None = Field(description="最近一次走访日期")
    due_on: date = Field(description="应走访日期")
    days_overdue: int = Field(description="逾期天数(负数为剩余天数)")
