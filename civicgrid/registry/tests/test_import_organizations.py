from pathlib import Path

import pytest
from stdnum.cn import uscc

from civicgrid.registry.io.kinds import import_ledger
from civicgrid.registry.models import Organization
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import csv_file
from civicgrid.testing.users import RoleUsers

HEADER = ["名称", "类别", "统一社会信用代码", "地址", "网格编码", "联系人", "联系电话", "从业人数"]


def credit_code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


@pytest.mark.django_db
def test_organisations_are_keyed_by_credit_code(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    west = city.grids["a1_west"].code
    code = credit_code("91520102MA6DJK7H1")
    rows = [
        ["黔味小吃店", "个体", "", "甲一路1号", west, "王五", "13800001111", "3"],
        ["贵州甲一科技有限公司", "企业", code, "甲一路2号", west, "李四", "0851-86801234", "40"],
    ]
    path = csv_file(tmp_path / "o.csv", HEADER, rows)
    report = import_ledger("organization", path, user=users.worker)
    assert report.ok, report.errors
    company = Organization.objects.get(uscc=code)
    assert (company.kind, company.staff_count, company.contact_phone) == (
        "enterprise",
        40,
        "085186801234",
    )
    assert Organization.objects.get(uscc="").kind == "shop"

    again = import_ledger("organization", path, user=users.worker)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.django_db
def test_bad_organisation_rows_are_reported(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    west = city.grids["a1_west"].code
    good = credit_code("91520102MA6DJK7H1")
    elsewhere = credit_code("91520102MA6DJK7H2")
    Organization.objects.create(
        name="乙街企业", uscc=elsewhere, address="乙路1号", grid=city.grids["b1"]
    )
    rows = [
        [
            "甲公司",
            "企业",
            good[:-1] + ("0" if good[-1] != "0" else "1"),
            "甲一路1号",
            west,
            "",
            "",
            "",
        ],
        ["乙公司", "企业", good, "甲一路2号", west, "", "12345", "-3"],
        ["丙公司", "企业", good, "甲一路3号", west, "", "", ""],
        ["丁公司", "企业", good, "甲一路4号", west, "", "", ""],  # repeats line 4
        ["乙街企业", "企业", elsewhere, "乙路1号", west, "", "", ""],  # recorded in street b
    ]
    report = import_ledger(
        "organization", csv_file(tmp_path / "o.csv", HEADER, rows), user=users.worker
    )
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "统一社会信用代码", "统一社会信用代码校验位不正确,请核对"),
        (3, "联系电话", "手机号码应为以1开头的11位数字"),
        (3, "从业人数", "应为不小于 0 的整数"),
        (5, "统一社会信用代码", "与第 4 行重复(统一社会信用代码相同)"),
        (6, "统一社会信用代码", "该统一社会信用代码已由其他网格登记"),
    ]
    assert Organization.objects.get(uscc=good).name == "丙公司"
