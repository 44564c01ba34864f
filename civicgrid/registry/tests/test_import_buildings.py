from pathlib import Path
from typing import Any

import pytest

from civicgrid.registry.io.kinds import import_ledger
from civicgrid.registry.models import Building
from civicgrid.registry.tests.factories import centre
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import csv_file, xlsx_file
from civicgrid.testing.users import RoleUsers

HEADER = ["地址", "网格编码", "经度", "纬度", "楼层数", "单元数", "类型", "物业"]


@pytest.mark.django_db
def test_buildings_are_located_by_point_or_placed_in_the_named_grid(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    lat, lng = centre(east)
    rows: list[list[Any]] = [
        ["甲一路1号", west.code, "", "", 18, 2, "住宅楼", "安居物业"],  # line 2
        ["甲一路2号", "", lng, lat, "6", "1", "商住", ""],  # line 3: located in a1_east
    ]
    report = import_ledger(
        "building", xlsx_file(tmp_path / "b.xlsx", HEADER, rows), user=users.cadre
    )
    assert report.ok, report.errors
    first, second = Building.objects.order_by("address")
    assert (first.grid, first.floors, first.units, first.property_manager) == (
        west,
        18,
        2,
        "安居物业",
    )
    assert (second.grid_code, second.building_type) == (east.code, "mixed")


@pytest.mark.django_db
def test_bad_building_rows_are_reported(tmp_path: Path, city: TestCity, users: RoleUsers) -> None:
    west, east, b1 = city.grids["a1_west"], city.grids["a1_east"], city.grids["b1"]
    lat, lng = centre(west)
    rows: list[list[Any]] = [
        ["甲一路1号", west.code, "", "", "十八", "", "", ""],  # line 2: floors not a number
        ["甲一路1号", west.code, "", "", "", "", "塔楼", ""],  # line 3: unknown type
        ["甲一路3号", "", "", "", "", "", "", ""],  # line 4: nowhere
        ["甲一路4号", "", 100.0, 20.0, "", "", "", ""],  # line 5: outside every grid
        ["甲一路5号", east.code, lng, lat, "", "", "", ""],  # line 6: point and grid disagree
        ["甲一路6号", west.code, "", "", "", "", "", ""],  # line 7: good
        ["甲一路6号", west.code, "", "", "", "", "", ""],  # line 8: repeats line 7
        ["乙路1号", b1.code, "", "", "", "", "", ""],  # line 9: not the cadre's community
    ]
    report = import_ledger("building", csv_file(tmp_path / "b.csv", HEADER, rows), user=users.cadre)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "楼层数", "应为不小于 0 的整数"),
        (
            3,
            "类型",
            "不是可选值,应为:住宅楼、商业楼宇、商住楼、办公楼、公共设施、厂房仓储、平房/自建房、其他",
        ),
        (4, "网格编码", "请填写网格编码或经纬度"),
        (5, "纬度", "坐标不在任何网格内"),
        (6, "网格编码", f"坐标位于网格 {west.code},与填写的网格编码不符"),
        (8, "地址", "与第 7 行重复(同一网格内地址相同)"),
        (9, "网格编码", "该网格不在您的管辖范围内"),
    ]
    assert list(Building.objects.values_list("address", flat=True)) == ["甲一路6号"]


@pytest.mark.django_db
def test_reimport_is_idempotent_and_an_empty_cell_keeps_the_recorded_value(
    tmp_path: Path, city: TestCity
) -> None:
    code = city.grids["a1_west"].code
    import_ledger(
        "building",
        csv_file(tmp_path / "a.csv", HEADER, [["甲一路1号", code, "", "", 18, 2, "", "安居物业"]]),
    )
    same = import_ledger(
        "building",
        csv_file(tmp_path / "a.csv", HEADER, [["甲一路1号", code, "", "", 18, 2, "", "安居物业"]]),
    )
    assert (same.created, same.updated, same.unchanged) == (0, 0, 1)
    partial = import_ledger(
        "building",
        csv_file(tmp_path / "b.csv", HEADER, [["甲一路1号", code, "", "", 20, "", "", ""]]),
    )
    assert (partial.created, partial.updated) == (0, 1)
    building = Building.objects.get()
    assert (building.floors, building.units, building.property_manager) == (20, 2, "安居物业")
    assert building.history.count() == 2
