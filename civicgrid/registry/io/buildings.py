"""Buildings (楼栋): natural key is the address within its grid."""

from __future__ import annotations

from typing import Any

from civicgrid.geo.geometry import to_shape
from civicgrid.geo.models import Grid
from civicgrid.registry.choices import (
    BuildingType,
    ImportKind,
)
from civicgrid.registry.io.cells import (
    parse_latitude,
    parse_longitude,
    parse_positive,
)
from civicgrid.registry.io.columns import GRID_CODE, Column, Row
from civicgrid.registry.io.engine import LedgerImporter, apply
from civicgrid.registry.models import Building


class BuildingImporter(LedgerImporter):
    """Natural key: the address within its grid. The grid comes from the coordinates
    (located) or from the grid code; a building given only a grid code is placed at a point
    inside that grid until someone corrects it on the map."""

    kind = ImportKind.BUILDING
    columns = (
        GRID_CODE,
        Column("lng", "经度", ("东经", "longitude"), note="WGS84 十进制度,如 106.7123"),
        Column("lat", "纬度", ("北纬", "latitude"), note="WGS84 十进制度,如 26.5712"),
        Column("address", "地址", ("楼栋地址", "详细地址"), required=True, note="同一网格内唯一"),
        Column("name", "楼栋名称", ("名称",)),
        Column("floors", "楼层数", ("层数", "总层数"), note="正整数"),
        Column("units", "单元数", note="正整数"),
        Column("building_type", "类型", ("楼栋类型", "建筑类型"), choices=BuildingType),
        Column("property_manager", "物业", ("物业服务单位", "物业公司", "物业管理")),
    )

    def import_batch(self, rows: list[Row]) -> None:
        by_code = self.grids_by_code(rows)
        parsed: list[tuple[Row, dict[str, Any]]] = []
        for row in rows:
            values = {
                "address": row.get("address"),
                "name": row.get("name"),
                "floors": row.get("floors", parse_positive, None),
                "units": row.get("units", parse_positive, None),
                "building_type": row.get("building_type"),
                "property_manager": row.get("property_manager"),
                "lat": row.get("lat", parse_latitude, None),
                "lng": row.get("lng", parse_longitude, None),
            }
            if (values["lat"] is None) != (values["lng"] is None) and row.ok:
                row.fail("lat" if values["lat"] is None else "lng", "经度和纬度需同时填写")
            if values["lat"] is None and not row.has("grid_code") and row.ok:
                row.fail("grid_code", "请填写网格编码或经纬度")
            if row.ok:
                parsed.append((row, values))

        located = self.located_grids(
            [(v["lat"], v["lng"]) for _, v in parsed if v["lat"] is not None]
        )
        placed: list[tuple[Row, dict[str, Any], Grid]] = []
        points = iter(located)
        for row, values in parsed:
            grid = next(points) if values["lat"] is not None else None
            if row.has("grid_code"):
                named = self.grid_for(row, by_code)
                if named is None:
                    continue
                if values["lat"] is not None and grid is not None and grid.pk != named.pk:
                    row.fail("grid_code", f"坐标位于网格 {grid.code},与填写的网格编码不符")
                    continue
                grid = named
            elif grid is None:
                row.fail("lat", "坐标不在任何网格内", f"{values['lat']},{values['lng']}")
                continue
            elif not self.ctx.allows(grid.code):
                row.fail("lat", f"坐标位于网格 {grid.code},不在您的管辖范围内")
                continue
            if self.first_seen(row, (grid.pk, values["address"]), "address", "同一网格内地址相同"):
                placed.append((row, values, grid))

        existing = {
            (b.grid_id, b.address): b
            for b in Building.objects.current().filter(
                grid__in={g for _, _, g in placed}, address__in={v["address"] for _, v, _ in placed}
            )
        }
        new, changed, fields = [], [], set[str]()
        for _row, values, grid in placed:
            building = existing.get((grid.pk, values["address"]))
            if building is None:
                if values["lat"] is None:
                    values["lat"], values["lng"] = inside_point(grid)
                building = Building(
                    grid=grid, **{k: v for k, v in values.items() if v not in ("", None)}
                )
                building.sync_grid_code()
                new.append(building)
            elif apply(building, values, fields):
                changed.append(building)
            else:
                self.report.unchanged += 1
        self.write(Building, new, changed, fields)


def inside_point(grid: Grid) -> tuple[float, float]:
    """(lat, lng) of a point guaranteed inside the grid's polygon."""
    point = to_shape(grid.geometry).representative_point()
    return point.y, point.x
