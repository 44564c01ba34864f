"""Every object an import row touches is checked against the uploader's jurisdiction and the
READS table (``user.in_scope(code, reads="ledgers")``), not only the grid chosen for the
upload: a household, building or grid of another street is refused row by row, and a role
that does not keep ledgers imports nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicgrid.registry.io.kinds import import_ledger
from civicgrid.registry.models import Building, Person
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    resident_id,
)
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import csv_file
from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_rows_naming_objects_of_another_street_are_refused(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    elsewhere = make_dwelling(make_building(city.grids["b1"], "乙一路1号"), room="101")
    make_household(elsewhere, number="B001")
    west = city.grids["a1_west"].code
    people = csv_file(
        tmp_path / "p.csv",
        ["姓名", "证件号码", "户号", "网格编码"],
        [["张三", resident_id(), "", west], ["李四", resident_id(), "B001", ""]],
    )
    report = import_ledger("person", people, user=users.worker)
    assert report.created == 1
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (3, "户号", "户号不存在或不在您的管辖范围内,请先导入房屋与住户")
    ]
    rooms = csv_file(
        tmp_path / "d.csv", ["楼栋地址", "房号", "户号"], [["乙一路1号", "102", "B002"]]
    )
    report = import_ledger("dwelling_household", rooms, user=users.worker)
    assert [(e.column, e.reason) for e in report.errors] == [
        ("楼栋地址", "楼栋不存在或不在您的管辖范围内,请先导入楼栋")
    ]
    assert list(Person.objects.values_list("name", flat=True)) == ["张三"]


@pytest.mark.django_db
def test_a_role_that_does_not_keep_ledgers_imports_nothing_even_inside_its_codes(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    # The auditor's scope is the whole city, but it does not read ledgers (三权分立).
    path = csv_file(
        tmp_path / "b.csv", ["网格编码", "地址"], [[city.grids["a1_west"].code, "甲一路1号"]]
    )
    report = import_ledger("building", path, user=users.auditor)
    assert [e.reason for e in report.errors] == ["该网格不在您的管辖范围内"]
    assert not Building.objects.exists()


@pytest.mark.django_db
def test_command_refuses_a_user_whose_role_does_not_keep_ledgers(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    path = csv_file(
        tmp_path / "b.csv", ["网格编码", "地址"], [[city.grids["a1_west"].code, "甲一路1号"]]
    )
    with pytest.raises(CommandError, match="的角色无权导入台账") as raised:
        call_command(
            "import_ledger",
            "building",
            str(path),
            "--user",
            "auditor",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert raised.value.returncode == 1
    assert not Building.objects.exists()
