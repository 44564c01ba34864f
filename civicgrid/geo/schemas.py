from datetime import date
from typing import Any

from ninja import Field, Schema


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: str


class GridOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    area_m2: float


class LocateOut(Schema):
    found: bool
    message: str
    grid: GridOut | None = None
    regions: list[RegionOut] = []


class SplitIn(Schema):
    cutter: dict[str, Any] = Field(description="GeoJSON LineString(切割线)或 Polygon(切出范围)")
    names: list[str] = Field(
        default=[], max_length=50, description="新网格名称,按从北到南、从西到东的顺序"
    )
    on: date | None = None


class GridMergeIn(Schema):
    grid_ids: list[int] = Field(min_length=2, max_length=50)
    name: str = Field(default="", max_length=100)
    on: date | None = None
