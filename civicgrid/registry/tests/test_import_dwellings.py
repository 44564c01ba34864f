from pathlib import Path

import pytest

from civicgrid.registry.choices import Occupancy
from civicgrid.registry.io.kinds import import_ledger
from civicgrid.registry.models import Dwelling, Household
from civicgrid.registry.tests.factories import make_building, make_person, resident_id
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import csv_file
from civicgrid.testing.users import RoleUsers

HEADER = [
    "楼栋地址",
    "单元",
    "楼层",
    "房号",
    "用途",
    "居住状态",
    "出租类型",
    "户号",
    "户别",
    "户主身份证号",
]


@pytest.mark.django_db
def test_dwellings_and_households_are_created_and_heads_linked(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    west = city.grids["a1_west"]
    make_building(west, "甲一路1号")
    head_id = resident_id()
    head = make_person(west, name="张三", id_number=head_id)
    rows = [
        ["甲一路1号", "1单元", "3", "301", "居住", "自住", "", "H301", "户籍户", head_id],
        ["甲一路1号", "1", "3", "302", "居住", "出租", "合租", "H302A", "流动", ""],
        ["甲一路1号", "1", "3", "302", "", "出租", "", "H302B", "流动", ""],  # second household
        ["甲一路1号", "2", "-1", "B01", "商用", "空置", "", "", "", ""],
    ]
    report = import_ledger(
        "dwelling_household", csv_file(tmp_path / "d.csv", HEADER, rows), user=users.worker
    )
    assert report.ok, report.errors
    assert Dwelling.objects.count() == 3
    room = Dwelling.objects.get(room="302")
    assert (room.unit, room.floor, room.occupancy, room.rental_type) == (
        "1",
        3,
        Occupancy.RENTED,
        "shared",
    )
    assert sorted(room.households.values_list("number", flat=True)) == ["H302A", "H302B"]
    assert Household.objects.get(number="H301").head == head
    assert Dwelling.objects.get(room="B01").floor == -1

    again = import_ledger(
        "dwelling_household", csv_file(tmp_path / "d.csv", HEADER, rows), user=users.worker
    )
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.django_db
def test_bad_dwelling_rows_are_reported(tmp_path: Path, city: TestCity, users: RoleUsers) -> None:
    make_building(city.grids["a1_west"], "甲一路1号")
    make_building(city.grids["b1"], "乙路1号")
    rows = [
        ["无此楼", "1", "1", "101", "", "", "", "", "", ""],  # line 2
        ["乙路1号", "1", "1", "101", "", "", "", "", "", ""],  # line 3: another street's building
        ["甲一路1号", "1", "一", "101", "", "自住", "整租", "", "", ""],  # line 4: two mistakes
        ["甲一路1号", "1", "1", "102", "", "", "", "H1", "", ""],  # line 5: good
        ["甲一路1号", "1", "1", "102", "", "", "", "H1", "", ""],  # line 6: repeats line 5
        ["甲一路1号", "1", "1", "103", "", "", "", "H1", "", ""],  # line 7: H1 is in 102
    ]
    report = import_ledger(
        "dwelling_household", csv_file(tmp_path / "d.csv", HEADER, rows), user=users.worker
    )
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "楼栋地址", "楼栋不存在或不在您的管辖范围内,请先导入楼栋"),
        (3, "楼栋地址", "楼栋不存在或不在您的管辖范围内,请先导入楼栋"),
        (4, "楼层", "楼层应为整数(地下层用负数)"),
        (4, "出租类型", "只有居住状态为“出租”的房屋才填写出租类型和隐患等级"),
        (6, "房号", "与第 5 行重复(同一楼栋、单元、房号和户号)"),
        (7, "户号", "与前面的行户号相同,但房屋不同"),
    ]
    assert sorted(Dwelling.objects.values_list("room", flat=True)) == ["102", "103"]
    assert Household.objects.get().dwelling.room == "102"
