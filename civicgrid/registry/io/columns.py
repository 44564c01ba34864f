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

    def parser(self, given: Callable[..., Any]) -> Callable[..., Any]:
        """The parser that reads this column's cells: a choice column's labels when the
        caller asks for plain text."""
        if given is cell_text and self.choices is not None:
            return choice_parser(self.choices)
        return given

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


# What an empty cell in a required column reports (``Row.get`` and ``BatchCells.column``).
EMPTY_REQUIRED = "必填项不能为空"


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
                self.fail(key, EMPTY_REQUIRED)
            return default
        parser = self.columns[key].parser(parser)
        if parser is cell_text:
            return text
        try:
            return parser(raw)
        except CellError as exc:
            self.fail(key, str(exc))
            return default


class BatchCells:
    """A batch's cells read a column at a time, as ``Row.get`` reads them one at a time:
    the same values, the same failures in the same order (``settle``). A person import
    checks ~21 cells per row; through one ``get`` call each, that was a third of preparing
    a batch (measured on 100,000 rows). Per column here the position and the column's rules
    are looked up once, and a parser runs once per distinct cell (the same choice labels,
    dates and counts repeat down a sheet; parsers are pure)."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self._failures: list[list[tuple[str, str]]] = [[] for _ in rows]

    def raws(self, key: str) -> list[Any]:
        """Each row's cell as read (``Row.raw``)."""
        index = self.rows[0].positions.get(key) if self.rows else None
        if index is None:
            return [None] * len(self.rows)
        return [cells[index] if index < len(cells := row.cells) else None for row in self.rows]

    def texts(self, key: str, raws: list[Any] | None = None) -> list[str]:
        """Each row's cell as text (``cell_text``), "" where the row has none."""
        return [
            raw.strip() if type(raw) is str else cell_text(raw)
            for raw in (self.raws(key) if raws is None else raws)
        ]

    def column(
        self,
        key: str,
        parser: Callable[..., Any] = cell_text,
        default: Any = "",
        given: list[Any] | None = None,
        where: list[bool] | None = None,
    ) -> list[Any]:
        """Each row's parsed cell (``Row.get`` one row at a time): ``default`` where empty
        (a failure when the column is required) or unparseable, and for rows ``where``
        leaves out. ``given``, when set, is the parser's first argument row by row, before
        the cell."""
        if not self.rows:
            return []
        column = self.rows[0].columns[key]
        parser = column.parser(parser)
        raws = self.raws(key)
        texts = self.texts(key, raws)
        wanted = range(len(texts)) if where is None else [i for i, w in enumerate(where) if w]
        if column.required:
            for i in wanted:
                if not texts[i]:
                    self._failures[i].append((key, EMPTY_REQUIRED))
        if parser is cell_text:
            if where is None:
                return [text or default for text in texts]
            return [texts[i] or default if where[i] else default for i in range(len(texts))]
        out = [default] * len(texts)
        memo: dict[Any, Any] = {}
        for i in wanted:
            if not texts[i]:
                continue
            raw = raws[i]
            # 1 == 1.0 == True: the type keeps an Excel number and a boolean apart.
            memo_key = (type(raw), raw, None if given is None else given[i])
            value = memo.get(memo_key, memo)
            if value is memo:
                try:
                    value = parser(raw) if given is None else parser(given[i], raw)
                except CellError as exc:
                    value = exc
                memo[memo_key] = value
            if isinstance(value, CellError):
                self._failures[i].append((key, str(value)))
            else:
                out[i] = value
        return out

    def settle(self, i: int) -> bool:
        """Report row ``i``'s failures in the order its columns were read; True when it
        has none."""
        row = self.rows[i]
        for key, reason in self._failures[i]:
            row.fail(key, reason)
        return row.ok


GRID_CODE = Column(
    "grid_code", "网格编码", ("所属网格编码", "网格代码", "所属网格"), note="15 位网格编码"
)
