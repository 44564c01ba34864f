"""The columns an importer declares and a data row being validated against them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from civicgrid.core.imports import ImportReport
from civicgrid.core.pii import mask_address, mask_id_number, mask_phone
from civicgrid.registry.io.cells import CellError, choice_parser
from civicgrid.registry.io.reader import Sheet, SheetError, cell_text, header_key


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""  # shown in the template's instructions sheet
    choices: type[models.TextChoices] | None = None
    # Which personal value the column holds ("id_number", "phone", "address"): a rejected
    # value is masked like everywhere else before it reaches the report, the job row and the
    # downloadable error list (rule 3), so a refused ID number is never kept in clear.
    pii: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)

    @property
    def instructions(self) -> str:
        if self.choices is not None:
            return "可选:" + "、".join(str(label) for label in self.choices.labels)
        return self.note


def map_header(sheet: Sheet, columns: Iterable[Column]) -> dict[str, int]:
    """Column key → position in the sheet. Unknown headers are ignored; a missing required
    column or a column given twice makes the whole file unreadable."""
    by_name = {header_key(name): column for column in columns for name in column.names}
    positions: dict[str, int] = {}
    for index, header in enumerate(sheet.header):
        column = by_name.get(header_key(header))
        if column is None:
            continue
        if column.key in positions:
            raise SheetError(f"表头中“{column.label}”列出现了两次(含别名)")
        positions[column.key] = index
    missing = [c.label for c in columns if c.required and c.key not in positions]
    if missing:
        raise SheetError("缺少必填列:" + "、".join(missing))
    return positions


MASKS = {"id_number": mask_id_number, "phone": mask_phone, "address": mask_address}


def masked(column: Column, text: str) -> str:
    """``text`` as the error report may show it: masked when the column holds personal data."""
    return MASKS[column.pii](text) if column.pii else text


@dataclass
class Row:
    """One data row being validated; errors go straight into the report."""

    line: int
    cells: list[Any]
    positions: dict[str, int]
    columns: dict[str, Column]
    report: ImportReport
    ok: bool = True

    def raw(self, key: str) -> Any:
        index = self.positions.get(key)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def has(self, key: str) -> bool:
        return cell_text(self.raw(key)) != ""

    def fail(self, key: str, reason: str, value: Any = None) -> None:
        column = self.columns[key]
        shown = masked(column, cell_text(self.raw(key) if value is None else value))
        self.report.error(self.line, column.label, shown, reason)
        self.ok = False

    def get(self, key: str, parser: Callable[[Any], Any] = cell_text, default: Any = "") -> Any:
        """The parsed cell, ``default`` when empty (an error if the column is required).
        Called ~25 times per row of a large import: the cell is read and trimmed once, and
        ``raw`` is inlined (its call was a tenth of preparing a batch)."""
        index = self.positions.get(key)
        raw = self.cells[index] if index is not None and index < len(self.cells) else None
        text = raw.strip() if type(raw) is str else cell_text(raw)
        if not text:
            if self.columns[key].required:
                self.fail(key, "必填项不能为空")
            return default
        if parser is cell_text:
            choices = self.columns[key].choices
            if choices is None:
                return text
            parser = choice_parser(choices)
        try:
            return parser(raw)
        except CellError as exc:
            self.fail(key, str(exc))
            return default


GRID_CODE = Column(
    "grid_code", "网格编码", ("所属网格编码", "网格代码", "所属网格"), note="15 位网格编码"
)
