"""Organisations (组织): natural key is the unified social credit code (USCC)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from civicgrid.registry import identity
from civicgrid.registry.choices import (
    ImportKind,
    OrganizationKind,
)
from civicgrid.registry.io.cells import (
    CellError,
    parse_count,
    parse_latitude,
    parse_longitude,
    parse_phone,
)
from civicgrid.registry.io.columns import GRID_CODE, Column, Row
from civicgrid.registry.io.engine import LedgerImporter, apply
from civicgrid.registry.io.reader import cell_text
from civicgrid.registry.models import Organization


def parse_uscc(value: Any) -> str:
    try:
        return identity.validate_uscc(cell_text(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


class OrganizationImporter(LedgerImporter):
    """Natural key: the unified social credit code; for the few without one (some
    individual shops), the name within the grid."""

    kind = ImportKind.ORGANIZATION
    columns = (
        Column("name", "名称", ("单位名称", "组织名称", "企业名称"), required=True),
        Column("kind", "类别", ("类型", "组织类别", "单位类型"), choices=OrganizationKind),
        Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码"), note="18 位,校验末位"),
        Column("address", "地址", ("单位地址", "经营地址"), required=True),
        GRID_CODE,
        Column("lng", "经度", ("东经", "longitude")),
        Column("lat", "纬度", ("北纬", "latitude")),
        Column("contact_name", "联系人", ("负责人", "法定代表人")),
        Column("contact_phone", "联系电话", ("电话", "联系方式"), pii="phone"),
        Column("staff_count", "从业人数", ("员工人数", "职工人数"), note="不小于 0 的整数"),
    )

    def import_batch(self, rows: list[Row]) -> None:
        grids = self.grids_by_code(rows)
        parsed: list[tuple[Row, dict[str, Any]]] = []
        for row in rows:
            values = {
                "name": row.get("name"),
                "kind": row.get("kind"),
                "uscc": row.get("uscc", parse_uscc),
                "address": row.get("address"),
                "lat": row.get("lat", parse_latitude, None),
                "lng": row.get("lng", parse_longitude, None),
                "contact_name": row.get("contact_name"),
                "contact_phone": row.get("contact_phone", parse_phone),
                "staff_count": row.get("staff_count", parse_count, None),
            }
            if (values["lat"] is None) != (values["lng"] is None) and row.ok:
                row.fail("lat" if values["lat"] is None else "lng", "经度和纬度需同时填写")
            if values["lat"] is None and not row.has("grid_code") and row.ok:
                row.fail("grid_code", "请填写网格编码或经纬度")
            if row.ok:
                parsed.append((row, values))

        located = iter(
            self.located_grids([(v["lat"], v["lng"]) for _, v in parsed if v["lat"] is not None])
        )
        placed: list[tuple[Row, dict[str, Any]]] = []
        for row, values in parsed:
            grid = next(located) if values["lat"] is not None else None
            if row.has("grid_code"):
                named = self.grid_for(row, grids)
                if named is None:
                    continue
                if grid is not None and grid.pk != named.pk:
                    row.fail("grid_code", f"坐标位于网格 {grid.code},与填写的网格编码不符")
                    continue
                grid = named
            elif grid is None:
                row.fail("lat", "坐标不在任何网格内", f"{values['lat']},{values['lng']}")
                continue
            elif not self.ctx.allows(grid.code):
                row.fail("lat", f"坐标位于网格 {grid.code},不在您的管辖范围内")
                continue
            values["grid"] = grid
            key = values["uscc"] or (grid.pk, values["name"])
            what = "统一社会信用代码相同" if values["uscc"] else "同一网格内名称相同且无信用代码"
            if self.first_seen(row, key, "uscc" if values["uscc"] else "name", what):
                placed.append((row, values))

        by_uscc = {
            o.uscc: o
            for o in Organization.objects.filter(
                uscc__in={v["uscc"] for _, v in placed if v["uscc"]}
            )
        }
        by_name = {
            (o.grid_id, o.name): o
            for o in Organization.objects.current().filter(
                uscc="",
                grid__in={v["grid"] for _, v in placed if not v["uscc"]},
                name__in={v["name"] for _, v in placed if not v["uscc"]},
            )
        }
        new, changed, fields = [], [], set[str]()
        for row, values in placed:
            if values["uscc"]:
                organization = by_uscc.get(values["uscc"])
            else:
                organization = by_name.get((values["grid"].pk, values["name"]))
            if organization is None:
                organization = Organization(
                    **{k: v for k, v in values.items() if v not in ("", None)}
                )
                organization.sync_grid_code()
                new.append(organization)
                continue
            if not self.ctx.allows(organization.grid_code):
                row.fail("uscc", "该统一社会信用代码已由其他网格登记")
                continue
            if organization.retired_on is not None:
                row.fail("uscc", "该组织已注销,如需恢复请在组织页面办理")
                continue
            # Moving premises to another grid changes who is responsible for it.
            grid = values.pop("grid")
            values.update(grid_id=grid.pk, grid_code=grid.code)
            if apply(organization, values, fields):
                changed.append(organization)
            else:
                self.report.unchanged += 1
        self.write(Organization, new, changed, fields)
