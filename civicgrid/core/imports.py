"""Shared shape of every import: a report of what was kept and of each bad row."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RowError:
    line: int  # 1-based line (or feature number) as a person sees it in a spreadsheet
    column: str
    value: str
    reason: str
    unit: str = "行"  # "行" for CSV lines, "个要素" for GeoJSON features

    def __str__(self) -> str:
        return f"第 {self.line} {self.unit} [{self.column}] {self.value!r}: {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Accepted but worth a look (e.g. a self-intersecting grid kept for the coverage check).
    warnings: list[RowError] = field(default_factory=list)
    # Kept rows per kind (e.g. per division level), for the summary a person compares.
    tally: Counter[str] = field(default_factory=Counter)
    unit: str = "行"

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int, column: str, value: str, reason: str) -> None:
        self.errors.append(RowError(line, column, value, reason, self.unit))

    def warn(self, line: int, column: str, value: str, reason: str) -> None:
        self.warnings.append(RowError(line, column, value, reason, self.unit))

    def summary(self) -> str:
        text = (
            f"新增 {self.created} 条,更新 {self.updated} 条,未变 {self.unchanged} 条,"
            f"错误 {len(self.errors)} {self.unit}"
        )
        if self.warnings:
            text += f",警告 {len(self.warnings)} 条"
        return text


def decode_text(data: bytes) -> str:
    """Text of an uploaded/exported CSV: UTF-8 (with or without BOM), else GB18030 (Excel)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("文件编码无法识别,请另存为 UTF-8 或 GB18030 编码的 CSV")


def read_text(path: Path | str) -> str:
    return decode_text(Path(path).read_bytes())


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each non-empty row; comma or tab separated."""
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [cell.strip().lstrip("\ufeff") for cell in row]
        if any(cells):
            yield number, cells
