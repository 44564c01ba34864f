from datetime import date
from pathlib import Path
from typing import Any

import pytest

from civicgrid.registry.choices import Relation, Residency
from civicgrid.registry.io.kinds import import_ledger
from civicgrid.registry.models import Household, Person
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
    resident_id,
)
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import csv_file, xlsx_file
from civicgrid.testing.users import RoleUsers

HEADER = [
    "姓名",
    "身份证号",
    "联系电话",
    "人口类型(户籍/流动/境外/未落户)",
    "户号",
    "与户主关系",
    "网格编码",
    "迁入日期",
]


@pytest.fixture
def household(city: TestCity) -> Household:
    dwelling = make_dwelling(make_building(city.grids["a1_west"], "甲一路1号"), room="101")
    return make_household(dwelling, number="H001")


def planted(city: TestCity) -> tuple[list[list[str]], str, str]:
    """Two good rows and one bad row per kind of mistake; returns rows and the good IDs."""
    west, b1 = city.grids["a1_west"].code, city.grids["b1"].code
    head, lodger, recorded = resident_id(), resident_id(male=False), resident_id()
    make_person(city.grids["a1_west"], name="王五", id_number=recorded)
    bad_checksum = head[:-1] + ("0" if head[-1] != "0" else "1")
    rows = [
        ["张三", head, "13800001111", "户籍", "H001", "户主", "", "2024/1/5"],  # line 2
        ["李四", lodger, "", "流动", "", "", west, "2024年1月5日"],  # line 3
        ["坏校验", bad_checksum, "", "户籍", "", "", west, ""],  # line 4
        ["坏日期", resident_id(), "", "户籍", "", "", west, "去年"],  # line 5
        ["无网格", resident_id(), "", "户籍", "", "", "520102001001999", ""],  # line 6
        ["张三", head, "", "户籍", "H001", "", "", ""],  # line 7: repeats line 2
        ["赵六", recorded, "", "户籍", "", "", west, ""],  # line 8: recorded as 王五
        ["越界", resident_id(), "", "户籍", "", "", b1, ""],  # line 9: not the worker's grid
    ]
    return rows, head, lodger


@pytest.mark.django_db
def test_bad_rows_are_reported_exactly_and_good_rows_kept(
    tmp_path: Path, city: TestCity, users: RoleUsers, household: Household
) -> None:
    rows, head, lodger = planted(city)
    report = import_ledger("person", csv_file(tmp_path / "p.csv", HEADER, rows), user=users.worker)

    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (4, "证件号码", "身份证号码校验位不正确,请核对"),
        (5, "迁入日期", "日期格式不正确,应为 2024-01-05、2024/1/5 或 2024年1月5日"),
        (6, "网格编码", "网格编码不存在或已停用"),
        (7, "证件号码", "与第 2 行重复(证件号码相同)"),
        (8, "证件号码", "该证件号码已登记为“王*”,与填写的姓名不符,请核对"),
        (9, "网格编码", "该网格不在您的管辖范围内"),
    ]
    assert (report.created, report.updated, report.total_rows) == (2, 0, 8)
    zhang = Person.objects.get(name="张三")
    assert zhang.id_number == head
    assert zhang.household == household and zhang.moved_in_on == date(2024, 1, 5)
    assert zhang.relation == Relation.HEAD
    household.refresh_from_db()
    assert household.head == zhang
    li = Person.objects.get(name="李四")
    assert (li.id_number, li.residency, li.grid_code) == (
        lodger,
        Residency.FLOATING,
        city.grids["a1_west"].code,
    )
    assert not Person.objects.filter(name__in=["坏校验", "坏日期", "无网格", "越界"]).exists()


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(
    tmp_path: Path, city: TestCity, users: RoleUsers, household: Household
) -> None:
    rows, _, _ = planted(city)
    path = csv_file(tmp_path / "p.csv", HEADER, rows)
    import_ledger("person", path, user=users.worker)
    history_rows = Person.history.count()

    again = import_ledger("person", path, user=users.worker)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Person.objects.count() == 3
    assert Person.history.count() == history_rows


@pytest.mark.django_db
def test_a_changed_cell_updates_the_recorded_person(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    number = resident_id()
    west = city.grids["a1_west"].code
    header = ["姓名", "证件号码", "网格编码", "联系电话"]
    import_ledger("person", csv_file(tmp_path / "a.csv", header, [["李四", number, west, ""]]))
    report = import_ledger(
        "person", csv_file(tmp_path / "b.csv", header, [["李四", number, west, "13912345678"]])
    )
    assert (report.created, report.updated) == (0, 1)
    person = Person.objects.get()
    assert person.phone == "13912345678"
    assert person.phone_index  # the blind index follows the new phone


@pytest.mark.django_db
def test_xlsx_with_date_cells_and_numeric_ids_is_read(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    west = city.grids["a1_west"].code
    number = resident_id()
    rows = [["张三", number, int(west), date(2023, 3, 8), 13800001111]]
    path = xlsx_file(
        tmp_path / "p.xlsx", ["姓名", "公民身份号码", "网格编码", "迁入日期", "手机号"], rows
    )
    report = import_ledger("person", path, user=users.worker)
    assert report.ok, report.errors
    person = Person.objects.get()
    assert (person.id_number, person.moved_in_on, person.phone) == (
        number,
        date(2023, 3, 8),
        "13800001111",
    )


@pytest.mark.django_db
def test_gb18030_csv_saved_by_excel_is_read(tmp_path: Path, city: TestCity) -> None:
    west = city.grids["a1_west"].code
    rows = [["欧阳娜娜", resident_id(male=False), west, "2024.2.29"]]
    path = csv_file(
        tmp_path / "p.csv", ["姓名", "证件号码", "网格编码", "迁入日期"], rows, "gb18030"
    )
    report = import_ledger("person", path)
    assert report.ok, report.errors
    assert Person.objects.get().moved_in_on == date(2024, 2, 29)


@pytest.mark.django_db
def test_a_missing_required_column_rejects_the_file(tmp_path: Path, city: TestCity) -> None:
    path = csv_file(
        tmp_path / "p.csv", ["姓名", "网格编码"], [["张三", city.grids["a1_west"].code]]
    )
    report = import_ledger("person", path)
    assert report.fatal
    assert [e.reason for e in report.errors] == ["缺少必填列:证件号码"]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_import_queries_do_not_grow_with_rows(
    tmp_path: Path, city: TestCity, household: Household, django_assert_max_num_queries: Any
) -> None:
    west = city.grids["a1_west"].code
    rows = [
        [f"人{i}", resident_id(), "H001" if i % 2 else "", "" if i % 2 else west] for i in range(40)
    ]
    path = csv_file(tmp_path / "p.csv", ["姓名", "证件号码", "户号", "网格编码"], rows)
    import_ledger("person", path)
    rows[0][0] = "改名"  # one conflicting row among unchanged ones
    with django_assert_max_num_queries(12):
        report = import_ledger(
            "person", csv_file(tmp_path / "q.csv", ["姓名", "证件号码", "户号", "网格编码"], rows)
        )
    assert (report.created, report.updated, report.unchanged, report.rejected_rows) == (0, 0, 39, 1)


@pytest.mark.django_db
def test_title_rows_above_the_header_are_skipped(tmp_path: Path, city: TestCity) -> None:
    west = city.grids["a1_west"].code
    rows = [
        ["填报单位:甲一社区", "", ""],
        ["姓名", "证件号码", "网格编码"],  # line 3
        ["张三", resident_id(), west],
        ["李四", "", west],  # line 5
    ]
    path = csv_file(tmp_path / "p.csv", ["甲一社区人口台账"], rows)
    report = import_ledger("person", path)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (5, "证件号码", "必填项不能为空")
    ]
    assert report.created == 1


@pytest.mark.django_db
def test_old_binary_xls_gets_a_clear_message(tmp_path: Path, city: TestCity) -> None:
    path = tmp_path / "p.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    report = import_ledger("person", path)
    assert [e.reason for e in report.errors] == [
        "不支持旧版 .xls 文件,请在 Excel 中“另存为” .xlsx 后上传"
    ]


@pytest.mark.django_db
def test_history_rows_match_what_simple_history_writes(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    number, west = resident_id(), city.grids["a1_west"].code
    header = ["姓名", "证件号码", "网格编码", "联系电话", "迁入日期"]
    import_ledger(
        "person",
        csv_file(tmp_path / "a.csv", header, [["张三", number, west, "", "2024-01-05"]]),
        user=users.worker,
    )
    import_ledger(
        "person",
        csv_file(tmp_path / "b.csv", header, [["张三", number, west, "13900001111", ""]]),
        user=users.worker,
    )

    person = Person.objects.get()
    created, changed = person.history.order_by("history_id")
    assert (created.history_type, changed.history_type) == ("+", "~")
    assert (created.history_user, created.history_change_reason) == (users.worker, "批量导入")
    assert (created.id_number, created.moved_in_on, created.phone) == (number, date(2024, 1, 5), "")
    assert changed.phone == "13900001111" and changed.grid_id == person.grid_id
    assert changed.instance.name == "张三"


@pytest.mark.django_db
def test_an_id_number_stored_as_an_excel_number_is_refused(tmp_path: Path, city: TestCity) -> None:
    # The factory's serial is shared by all tests; skip numbers whose check digit is X.
    number = next(n for n in iter(resident_id, None) if n.isdigit())
    rows = [["张三", float(number), city.grids["a1_west"].code]]
    path = xlsx_file(tmp_path / "p.xlsx", ["姓名", "身份证号", "网格编码"], rows)
    report = import_ledger("person", path)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "证件号码", "证件号码被 Excel 存成了数字,末几位已丢失;请把该列设为“文本”后重新填写")
    ]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_truncated_mobile_number_is_refused_with_its_row(
    tmp_path: Path, city: TestCity, users: RoleUsers, household: Household
) -> None:
    west = city.grids["a1_west"].code
    rows = [
        ["张三", resident_id(), "1398501", "户籍", "", "", west, ""],
        ["李四", resident_id(male=False), "0851-86801234", "户籍", "", "", west, ""],
    ]
    report = import_ledger("person", csv_file(tmp_path / "p.csv", HEADER, rows), user=users.worker)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "联系电话", "手机号码应为以1开头的11位数字")
    ]
    assert Person.objects.get(name="李四").phone == "085186801234"
    assert not Person.objects.filter(name="张三").exists()
