from ninja import Schema


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
