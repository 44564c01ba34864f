"""Dwellings (房屋) and the households (住户) living in them, one row per dwelling and
household."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from civicgrid.geo.models import Grid
from civicgrid.registry import identity
from civicgrid.registry.choices import (
    DwellingUse,
    HazardLevel,
    HouseholdKind,
    ImportKind,
    Occupancy,
    RentalType,
)
from civicgrid.registry.io.cells import (
    CellError,
    parse_phone,
    parse_resident_id,
)
from civicgrid.registry.io.columns import GRID_CODE, Column, Row
from civicgrid.registry.io.engine import LedgerImporter, apply
from civicgrid.registry.io.reader import cell_text
from civicgrid.registry.models import Building, Dwelling, Household, Person


def parse_floor(value: Any) -> int:
    text = cell_text(value).removesuffix("层").removesuffix("楼")
    try:
        number = int(text)
    except ValueError as exc:
        raise CellError("楼层应为整数(地下层用负数)") from exc
    if not -10 <= number <= 200:
        raise CellError("楼层应在 -10 至 200 之间")
    return number


def parse_unit(value: Any) -> str:
    return cell_text(value).removesuffix("单元")


def parse_area(value: Any) -> Decimal:
    try:
        area = Decimal(cell_text(value)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise CellError("面积应为数字(平方米)") from exc
    if not 0 < area < 1_000_000:
        raise CellError("面积应大于 0")
    return area


class DwellingHouseholdImporter(LedgerImporter):
    """One row per dwelling and, optionally, the household living in it (several rows may
    name the same room for several households). Natural keys: building + unit + room for
    the dwelling, the household number (户号) for the household — or, without a number, the
    one unnumbered household of the dwelling."""

    kind = ImportKind.DWELLING_HOUSEHOLD
    columns = (
        Column("grid_code", "网格编码", GRID_CODE.aliases, note="楼栋地址在多个网格重名时必填"),
        Column(
            "building",
            "楼栋地址",
            ("楼栋", "所属楼栋", "地址"),
            required=True,
            note="须与已导入楼栋的地址一致",
        ),
        Column("unit", "单元", note="如 1 或 1单元"),
        Column("floor", "楼层", ("所在楼层",), note="整数,地下层用负数"),
        Column("room", "房号", ("门牌号", "室号"), required=True),
        Column("use", "用途", ("房屋用途",), choices=DwellingUse),
        Column("occupancy", "居住状态", ("使用状态", "房屋状态"), choices=Occupancy),
        Column("area_m2", "面积", ("建筑面积", "面积(平方米)"), note="平方米"),
        Column("lessor_name", "出租人", ("房东", "出租人姓名")),
        Column("lessor_phone", "出租人电话", ("房东电话", "出租人联系电话"), pii="phone"),
        Column("rental_type", "出租类型", ("出租房类型",), choices=RentalType),
        Column("hazard_level", "隐患等级", ("出租房屋隐患等级", "隐患程度"), choices=HazardLevel),
        Column("number", "户号", ("户口簿户号",)),
        Column("household_kind", "户别", ("户类型", "住户类型"), choices=HouseholdKind),
        Column(
            "head_id",
            "户主身份证号",
            ("户主证件号码", "户主公民身份号码"),
            note="户主已登记时自动关联;否则导入人口时按“与户主关系=户主”关联",
            pii="id_number",
        ),
    )

    def import_batch(self, rows: list[Row]) -> None:
        grids = self.grids_by_code(rows)
        buildings = self._buildings(rows)
        parsed: list[tuple[Row, Building, dict[str, Any], dict[str, Any] | None]] = []
        for row in rows:
            dwelling = {
                "unit": row.get("unit", parse_unit),
                "floor": row.get("floor", parse_floor, None),
                "room": row.get("room"),
                "use": row.get("use"),
                "occupancy": row.get("occupancy"),
                "area_m2": row.get("area_m2", parse_area, None),
                "lessor_name": row.get("lessor_name"),
                "lessor_phone": row.get("lessor_phone", parse_phone),
                "rental_type": row.get("rental_type"),
                "hazard_level": row.get("hazard_level"),
            }
            household = None
            if row.has("number") or row.has("household_kind") or row.has("head_id"):
                household = {
                    "number": row.get("number"),
                    "kind": row.get("household_kind"),
                    "head_id_number": row.get("head_id", parse_resident_id),
                }
            if (dwelling["rental_type"] or dwelling["hazard_level"]) and dwelling[
                "occupancy"
            ] != Occupancy.RENTED:
                key = "rental_type" if dwelling["rental_type"] else "hazard_level"
                row.fail(key, "只有居住状态为“出租”的房屋才填写出租类型和隐患等级")
            building = self._building_for(row, grids, buildings)
            if not row.ok or building is None:
                continue
            room_key = (building.pk, dwelling["unit"], dwelling["room"])
            household_key = (room_key, household["number"] if household else None)
            if self.first_seen(row, household_key, "room", "同一楼栋、单元、房号和户号"):
                parsed.append((row, building, dwelling, household))

        dwellings = self._write_dwellings(parsed)
        self._write_households(parsed, dwellings)

    def _buildings(self, rows: list[Row]) -> dict[str, list[Building]]:
        addresses = {cell_text(r.raw("building")) for r in rows if r.has("building")}
        found: dict[str, list[Building]] = {}
        for b in self.ctx.scoped(Building.objects.current().filter(address__in=addresses)):
            found.setdefault(b.address, []).append(b)
        return found

    def _building_for(
        self, row: Row, grids: dict[str, Grid], buildings: dict[str, list[Building]]
    ) -> Building | None:
        candidates = buildings.get(cell_text(row.raw("building")), [])
        if row.has("grid_code"):
            grid = self.grid_for(row, grids)
            if grid is None:
                return None
            candidates = [b for b in candidates if b.grid_id == grid.pk]
        if not candidates:
            if row.ok:
                row.fail("building", "楼栋不存在或不在您的管辖范围内,请先导入楼栋")
            return None
        if len(candidates) > 1:
            row.fail("building", "多个网格有相同地址的楼栋,请填写网格编码")
            return None
        return candidates[0]

    def _write_dwellings(
        self, parsed: list[tuple[Row, Building, dict[str, Any], dict[str, Any] | None]]
    ) -> dict[tuple[int, str, str], Dwelling]:
        existing: dict[tuple[int, str, str], Dwelling] = {
            (d.building_id, d.unit, d.room): d
            for d in Dwelling.objects.current().filter(
                building__in={b.pk for _, b, _, _ in parsed},
                room__in={v["room"] for _, _, v, _ in parsed},
            )
        }
        new, changed, fields, touched = [], [], set[str](), set[tuple[int, str, str]]()
        for _row, building, values, _household in parsed:
            key = (building.pk, values["unit"], values["room"])
            if key in touched:
                continue  # a further household of a room already handled in this batch
            touched.add(key)
            dwelling = existing.get(key)
            if dwelling is None:
                dwelling = Dwelling(
                    building=building,
                    grid_id=building.grid_id,
                    grid_code=building.grid_code,
                    **{k: v for k, v in values.items() if v not in ("", None)},
                )
                dwelling.unit = values["unit"]
                existing[key] = dwelling
                new.append(dwelling)
            elif apply(dwelling, values, fields):
                changed.append(dwelling)
            else:
                self.report.unchanged += 1
        self.write(Dwelling, new, changed, fields)
        return existing

    def _write_households(
        self,
        parsed: list[tuple[Row, Building, dict[str, Any], dict[str, Any] | None]],
        dwellings: dict[tuple[int, str, str], Dwelling],
    ) -> None:
        wanted = [(row, dwellings[(b.pk, d["unit"], d["room"])], h) for row, b, d, h in parsed if h]
        numbers = {h["number"] for _, _, h in wanted if h["number"]}
        by_number = {h.number: h for h in Household.objects.current().filter(number__in=numbers)}
        unnumbered = {
            h.dwelling_id: h
            for h in Household.objects.current().filter(
                number="", dwelling__in=[d.pk for _, d, h in wanted if not h["number"]]
            )
        }
        heads = {
            p.id_number_index: p
            for p in Person.objects.current()
            .filter(
                id_number_index__in={
                    identity.id_number_index(h["head_id_number"])
                    for _, _, h in wanted
                    if h["head_id_number"]
                }
            )
            .only("pk", "id_number_index", "grid_code")
        }
        new, changed, fields = [], [], set[str]()
        for row, dwelling, values in wanted:
            number = values["number"]
            household = by_number.get(number) if number else unnumbered.get(dwelling.pk)
            head = heads.get(identity.id_number_index(values["head_id_number"]))
            if head is not None and not self.ctx.allows(head.grid_code):
                head = None  # registered elsewhere: linked when the person moves in
            update = {"kind": values["kind"], "head_id": head.pk if head else None}
            if household is None:
                household = Household(
                    dwelling=dwelling,
                    grid_id=dwelling.grid_id,
                    grid_code=dwelling.grid_code,
                    number=number,
                    **{k: v for k, v in update.items() if v not in ("", None)},
                )
                new.append(household)
                if number:
                    by_number[number] = household
                else:
                    unnumbered[dwelling.pk] = household
            elif household.pk is None:
                row.fail("number", "与前面的行户号相同,但房屋不同")
            elif household.dwelling_id != dwelling.pk:
                where = "其他房屋" if self.ctx.allows(household.grid_code) else "其他网格"
                row.fail("number", f"该户号已登记在{where},迁移住户请在台账页面办理")
            elif not self.ctx.allows(household.grid_code):
                # Every object a row touches is checked, not only the dwelling it names
                # (docs/architecture.md "One way in").
                row.fail("number", "该住户不在您的管辖范围内")
            elif apply(household, update, fields):
                changed.append(household)
            else:
                self.report.unchanged += 1
        self.write(Household, new, changed, fields)
