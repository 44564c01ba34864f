"""``BatchCells`` reads a batch a column at a time: the values and the failures (text and
order) must be what ``Row.get`` gives one row at a time."""

from functools import partial
from typing import Any

from civicgrid.core.imports import ImportReport
from civicgrid.registry.choices import Education
from civicgrid.registry.io.cells import CellError, parse_date
from civicgrid.registry.io.columns import BatchCells, Column, Row

COLUMNS = {
    c.key: c
    for c in (
        Column("name", "姓名", required=True),
        Column("education", "文化程度", choices=Education),
        Column("born", "出生日期"),
        Column("code", "代码"),
    )
}
POSITIONS = {"name": 0, "education": 1, "born": 2, "code": 3}
CELLS: list[list[Any]] = [
    ["张三", "高中", "2001-02-03", "A"],
    ["", "博士后", "2001-02-30", "B"],  # required empty, not a choice, no such day
    ["李四", "博士后", "20010203", "D"],  # the same bad label again: reported again
    [" 王五 ", "", "", "C"],
    ["赵六", 3.0, "昨天"],  # a short row, a number where a label belongs
]


def code_parser(prefix: str, value: Any) -> str:
    if prefix == "bad":
        raise CellError("前缀不对")
    return prefix + value


def rows(report: ImportReport) -> list[Row]:
    return [
        Row(line, list(cells), POSITIONS, COLUMNS, report)
        for line, cells in enumerate(CELLS, start=2)
    ]


def errors(report: ImportReport) -> list[tuple[int, str, str, str]]:
    return [(e.line, e.column, e.value, e.reason) for e in report.errors]


def test_a_batch_read_by_column_matches_row_get() -> None:
    prefixes = ["x", "y", "bad", "z", "w"]
    one_by_one = ImportReport()
    expected = [
        (
            row.get("name"),
            row.get("education"),
            row.get("born", parse_date, None),
            row.get("code", partial(code_parser, p), "?"),
            row.ok,
        )
        for row, p in zip(rows(one_by_one), prefixes, strict=True)
    ]

    by_column = ImportReport()
    batch = rows(by_column)
    cells = BatchCells(batch)
    columns = [
        cells.column("name"),
        cells.column("education"),
        cells.column("born", parse_date, None),
        cells.column("code", code_parser, "?", given=prefixes),
    ]
    ok = [cells.settle(i) for i in range(len(batch))]

    assert [(*values, good) for *values, good in zip(*columns, ok, strict=True)] == expected
    assert errors(by_column) == errors(one_by_one)
    assert [e[:2] for e in errors(by_column)] == [
        (3, "姓名"),
        (3, "文化程度"),
        (3, "出生日期"),
        (4, "文化程度"),
        (4, "代码"),
        (6, "文化程度"),
        (6, "出生日期"),
    ]


def test_rows_left_out_keep_the_default_and_report_nothing() -> None:
    report = ImportReport()
    cells = BatchCells(rows(report))
    born = cells.column("born", parse_date, None, where=[True, False, True, True, False])
    assert [cells.settle(i) for i in range(len(CELLS))] == [True] * 5
    assert born[1] is None and born[4] is None and born[0] is not None
    assert cells.texts("name") == ["张三", "", "李四", "王五", "赵六"]
    assert cells.texts("missing") == [""] * 5
