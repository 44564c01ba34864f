"""Reading an uploaded ledger file into rows: xlsx or CSV (UTF-8 with/without BOM, GB18030),
the header found among the top rows, cells kept as the uploader typed them."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from openpyxl import load_workbook

from civicgrid.core.imports import csv_rows, decode_text
from civicgrid.core.spreadsheet import unquote_cell

if TYPE_CHECKING:
    from civicgrid.registry.io.columns import Column


class SheetError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass
class Sheet:
    header_line: int
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (line as Excel shows it, raw cell values)


# Spreadsheets kept in the field often start with a title row ("甲一社区人口台账") or two.
HEADER_SEARCH_ROWS = 10


def read_sheet(source: Path | str | IO[bytes], columns: Iterable[Column] = ()) -> Sheet:
    """The first sheet of an xlsx workbook or a CSV file (UTF-8 with/without BOM, GB18030).
    The header is the first of the top rows naming at least two known columns (else the
    first row, and the missing columns are reported)."""
    data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    if data[:4] == b"\xd0\xcf\x11\xe0":  # OLE2: the pre-2007 binary .xls format
        raise SheetError("不支持旧版 .xls 文件,请在 Excel 中“另存为” .xlsx 后上传")
    rows = list(_xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data))
    if not rows:
        raise SheetError("文件是空的,没有表头")
    known = {header_key(name) for column in columns for name in column.names}
    at = next(
        (
            index
            for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS])
            if sum(header_key(cell_text(cell)) in known for cell in cells) >= 2
        ),
        0,
    )
    header_line, header = rows[at]
    return Sheet(header_line, [cell_text(cell) for cell in header], rows[at + 1 :])


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = decode_text(data)
    except ValueError as exc:
        raise SheetError(str(exc)) from exc
    for number, cells in csv_rows(text):
        yield number, [unquote_cell(cell) for cell in cells]


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    # Whatever goes wrong while parsing the upload (a zip without a workbook, broken XML, a
    # sheet openpyxl cannot read) is the file's fault, not the server's: the uploader is told
    # to save it again as .xlsx instead of the job crashing.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise SheetError("Excel 文件中没有工作表")
        yield from _sheet_rows(workbook.worksheets[0])
        workbook.close()
    except SheetError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as exc:
        raise SheetError("无法读取 Excel 文件,请确认是 .xlsx 格式") from exc


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        # A leading apostrophe written by ``safe_cell`` (or typed, as Excel allows) only says
        # "text": the value is what follows it.
        cells = [unquote_cell(cell.strip()) if isinstance(cell, str) else cell for cell in row]
        if any(cell not in (None, "") for cell in cells):
            yield number, cells


def cell_text(value: Any) -> str:
    """A cell as the uploader typed it (Excel turns long digit strings into numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def header_key(text: str) -> str:
    """A header cell reduced to its name: no spaces, no "*" marking a required column and no
    note in brackets, so "人口类型(户籍/流动/境外/未落户)" matches "人口类型"."""
    text = re.sub(r"\s", "", text).strip("*＊")
    return re.split(r"[((\[【]", text, maxsplit=1)[0]
