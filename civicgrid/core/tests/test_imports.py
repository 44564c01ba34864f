from pathlib import Path

import pytest

from civicgrid.core.imports import ImportReport, csv_rows, read_text


def test_tab_separated_text_is_split_on_tabs() -> None:
    assert list(csv_rows("代码\t名称\n5201\t贵阳市\n")) == [
        (1, ["代码", "名称"]),
        (2, ["5201", "贵阳市"]),
    ]


def test_blank_rows_are_skipped_but_keep_line_numbers() -> None:
    assert [line for line, _ in csv_rows("a,b\n\n , \nc,d\n")] == [1, 4]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_files_from_excel_and_editors_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "f.csv"
    path.write_text("520102,南明区\n", encoding=encoding)
    assert read_text(path) == "520102,南明区\n"


def test_report_lines_name_the_row_column_and_reason() -> None:
    report = ImportReport(unit="个要素")
    report.error(3, "code", "12", "网格编码应为 15 位数字")
    assert str(report.errors[0]) == "第 3 个要素 [code] '12': 网格编码应为 15 位数字"
    assert report.summary().endswith("错误 1 个要素")
