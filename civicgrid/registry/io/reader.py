"""Reading an uploaded ledger file into rows: xlsx or CSV (UTF-8 with/without BOM, GB18030),
the header found among the top rows, cells kept as the uploader typed them."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from openpyxl import load_workbook

from civicgrid.core.spreadsheet import unquote_cell

if TYPE_CHECKING:
    from civicgrid.registry.io.columns import Column


class SheetError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass
class Sheet:
    header_line: int
    header: list[str]
    # (line as Excel shows it, raw cell values), read from the file as they are consumed: a
    # sheet of a million rows is never held in memory whole.
    rows: Iterator[tuple[int, list[Any]]]
    # Data rows the file seems to hold (from its line count or the sheet's dimension), for
    # the progress bar only: blank lines and quoted line breaks make it approximate.
    expected_rows: int
    stream: IO[bytes] | None = None

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


# Spreadsheets kept in the field often start with a title row ("甲一社区人口台账") or two.
HEADER_SEARCH_ROWS = 10
_CHUNK = 1 << 20


def read_sheet(source: Path | str | IO[bytes], columns: Iterable[Column] = ()) -> Sheet:
    """The first sheet of an xlsx workbook or a CSV file (UTF-8 with/without BOM, GB18030),
    streamed. The header is the first of the top rows naming at least two known columns
    (else the first row, and the missing columns are reported)."""
    stream = _seekable(source)
    try:
        magic = stream.read(4)
        stream.seek(0)
        if magic == b"\xd0\xcf\x11\xe0":  # OLE2: the pre-2007 binary .xls format
            raise SheetError("不支持旧版 .xls 文件,请在 Excel 中“另存为” .xlsx 后上传")
        rows, expected = _xlsx_rows(stream) if magic == b"PK\x03\x04" else _csv_rows(stream)
        top = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        if not top:
            raise SheetError("文件是空的,没有表头")
    except SheetError:
        if stream is not source:
            stream.close()
        raise
    known = {header_key(name) for column in columns for name in column.names}
    at = next(
        (
            index
            for index, (_, cells) in enumerate(top)
            if sum(header_key(cell_text(cell)) in known for cell in cells) >= 2
        ),
        0,
    )
    header_line, header = top[at]
    return Sheet(
        header_line,
        [cell_text(cell) for cell in header],
        itertools.chain(top[at + 1 :], rows),
        max(expected - header_line, 0),
        stream if stream is not source else None,
    )


def _seekable(source: Path | str | IO[bytes]) -> IO[bytes]:
    """A binary stream the reader can rewind (a path is opened; ``run_import`` closes it)."""
    if isinstance(source, str | Path):
        return Path(source).open("rb")
    if source.seekable():
        return source
    spooled = tempfile.SpooledTemporaryFile(max_size=_CHUNK * 8)  # noqa: SIM115 - as above
    shutil.copyfileobj(source, spooled, _CHUNK)
    spooled.seek(0)
    return spooled


def _csv_rows(stream: IO[bytes]) -> tuple[Iterator[tuple[int, list[Any]]], int]:
    """The rows of a CSV file and its line count, from a first pass over the bytes that also
    settles the encoding (UTF-8 unless some chunk does not decode, then GB18030, as Excel
    saves CSV on Chinese Windows)."""
    encoding, lines, last = "utf-8-sig", 0, b"\n"
    decoder = codecs.getincrementaldecoder("utf-8")()
    while chunk := stream.read(_CHUNK):
        lines += chunk.count(b"\n")
        last = chunk[-1:]
        if encoding == "utf-8-sig":
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                encoding = "gb18030"
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    sample = text.read(4096)
    text.seek(0)
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    return _csv_cells(text, delimiter), lines + (last != b"\n")


_MARKS = frozenset("'\ufeff")


def _csv_cells(text: IO[str], delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    try:
        for number, row in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            # Per cell of a large file: only a cell opening with an apostrophe or a stray
            # byte-order mark needs more than trimming.
            cells = [cell.strip() for cell in row]
            cells = [
                unquote_cell(cell.lstrip("\ufeff")) if cell[:1] in _MARKS else cell
                for cell in cells
            ]
            if any(cells):
                yield number, cells
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SheetError("文件编码无法识别,请另存为 UTF-8 或 GB18030 编码的 CSV") from exc


def _xlsx_rows(stream: IO[bytes]) -> tuple[Iterator[tuple[int, list[Any]]], int]:
    # Whatever goes wrong while parsing the upload (a zip without a workbook, broken XML, a
    # sheet openpyxl cannot read) is the file's fault, not the server's: the uploader is told
    # to save it again as .xlsx instead of the job crashing.
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        if not workbook.worksheets:
            raise SheetError("Excel 文件中没有工作表")
        sheet = workbook.worksheets[0]
        expected = sheet.max_row or 0
    except SheetError:
        raise
    except XLSX_ERRORS as exc:
        raise SheetError("无法读取 Excel 文件,请确认是 .xlsx 格式") from exc
    return _guarded(_sheet_rows(sheet), workbook), expected


XLSX_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError)


def _guarded(
    rows: Iterator[tuple[int, list[Any]]], workbook: Any
) -> Iterator[tuple[int, list[Any]]]:
    try:
        yield from rows
    except XLSX_ERRORS as exc:
        raise SheetError("无法读取 Excel 文件,请确认是 .xlsx 格式") from exc
    finally:
        workbook.close()


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
