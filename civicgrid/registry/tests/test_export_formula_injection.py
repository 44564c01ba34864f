"""Spreadsheet formula injection (rule 7): text a person typed is never written as a formula,
in the ledger export, the error report or the import templates, and an exported sheet still
imports back with the value as typed."""

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from civicgrid.core.spreadsheet import safe_cell, unquote_cell
from civicgrid.registry.io.exports import error_report_xlsx, ledger_xlsx
from civicgrid.registry.io.kinds import import_ledger
from civicgrid.registry.io.reader import read_sheet
from civicgrid.registry.models import Person
from civicgrid.registry.tests.conftest import grant
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

LINK = '=HYPERLINK("http://x","y")'


def test_safe_cell_quotes_formula_text_only() -> None:
    for text in (LINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text
        assert unquote_cell(safe_cell(text)) == text
    for value in ("张三", "-1", "+5", "3.5", 7, None, "a=b", "'plain"):
        assert safe_cell(value) == value
    assert unquote_cell("'plain") == "'plain"  # an apostrophe that protects nothing stays


@pytest.mark.django_db
def test_a_name_that_looks_like_a_formula_is_exported_as_text(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    make_person(city.grids["a1_west"], name=LINK, occupation="@SUM(1,2)")
    client.force_login(users.worker)
    response = client.get(f"/registry/io/ledger/{city.grids['a1_west'].pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["人员"]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    for name in ("姓名", "职业"):
        assert row[name].data_type == "s"  # a string cell, not "f" (formula)
    assert row["姓名"].value == "'" + LINK
    assert not any(c.data_type == "f" for r in sheet.iter_rows() for c in r)


def test_error_report_writes_rejected_values_as_text() -> None:
    content = error_report_xlsx([{"row": 2, "column": "姓名", "value": LINK, "reason": "x"}])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cell = sheet["C2"]
    assert (cell.data_type, cell.value) == ("s", "'" + LINK)


@pytest.mark.django_db
def test_an_exported_formula_like_name_imports_back_as_typed(
    tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    person = make_person(city.grids["a1_west"], name=LINK)
    grant(users.worker, "unmask_pii")  # the presenter refuses plaintext without it
    exported = ledger_xlsx(city.grids["a1_west"], user=users.worker, unmasked=True)
    workbook = load_workbook(io.BytesIO(exported.content))
    for name in ("楼栋", "房屋", "住户", "组织"):
        del workbook[name]
    workbook.save(tmp_path / "people.xlsx")
    report = import_ledger("person", tmp_path / "people.xlsx", user=users.worker)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert Person.objects.get(pk=person.pk).name == LINK


def test_a_csv_reads_back_apostrophes_and_stray_marks_as_typed() -> None:
    text = "姓名,备注,代码\n'=HYPERLINK(\"x\"), 'plain ,\ufeffA1\n"
    sheet = read_sheet(io.BytesIO(text.encode("utf-8-sig")))
    assert sheet.header == ["姓名", "备注", "代码"]
    assert list(sheet.rows) == [(2, ['=HYPERLINK("x")', "'plain", "A1"])]
