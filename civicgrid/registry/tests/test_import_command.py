import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from civicgrid.registry.models import Person
from civicgrid.registry.tests.factories import resident_id
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import csv_file
from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_command_imports_reports_progress_and_exits_2_on_rejected_rows(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    rows = [
        ["张三", resident_id(), city.grids["a1_west"].code],
        ["李四", resident_id(), city.grids["b1"].code],  # outside the worker's grid
    ]
    path = csv_file(tmp_path / "p.csv", ["姓名", "证件号码", "网格编码"], rows)
    out, err, errors = io.StringIO(), io.StringIO(), tmp_path / "errors.xlsx"

    with pytest.raises(CommandError) as raised:
        call_command(
            "import_ledger",
            "person",
            str(path),
            "--user",
            "worker",
            "--errors",
            str(errors),
            stdout=out,
            stderr=err,
        )

    assert raised.value.returncode == 2
    assert "共 2 行:新增 1 条" in out.getvalue()
    assert "已处理 2/2 行(100%)" in err.getvalue() and "行/秒" in err.getvalue()
    assert "第 3 行 [网格编码]" in err.getvalue()
    sheet = load_workbook(errors).active
    assert sheet is not None and sheet["D2"].value == "该网格不在您的管辖范围内"
    assert list(Person.objects.values_list("name", flat=True)) == ["张三"]


@pytest.mark.django_db
def test_command_scope_narrows_what_is_accepted(tmp_path: Path, city: TestCity) -> None:
    rows = [["张三", resident_id(), city.grids["a1_west"].code]]
    path = csv_file(tmp_path / "p.csv", ["姓名", "证件号码", "网格编码"], rows)
    with pytest.raises(CommandError):
        call_command(
            "import_ledger",
            "person",
            str(path),
            "--scope",
            city.comm_a2.code,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert not Person.objects.exists()
    call_command(
        "import_ledger",
        "person",
        str(path),
        "--scope",
        city.comm_a1.code,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert Person.objects.count() == 1
