"""Spreadsheet cells that cannot run (ARCHITECTURE rule 7: cells that start with ``= + - @`` are
written as text; docs/architecture.md "One way in").

A name, an address or a note typed by anybody ends up in exports that staff open in Excel or
WPS. A cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return
followed by one) is read by those programs as a formula: ``=HYPERLINK(...)`` becomes a link
that sends data away, ``=cmd|...`` asks to start a program. openpyxl itself stores any string
starting with ``=`` as a formula. Following OWASP ("CSV injection"), such text gets a leading
apostrophe, which every spreadsheet program shows as text and never evaluates.

Every place that writes user text into a workbook or a CSV passes each value through
``safe_cell``; the ledger import undoes it with ``unquote_cell`` (as Excel itself does with a
typed leading apostrophe), so an exported sheet imports back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# What makes a spreadsheet parse a cell as a formula (OWASP CSV injection list). Full-width
# forms are not included: Excel and WPS never evaluate "＝".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Plain numbers such as "-3" (a basement floor) or "+5" cannot run: they stay readable.
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def safe_cell(value: Any) -> Any:
    """``value`` as it may be written into a cell: text that a spreadsheet would evaluate is
    prefixed with ``'``; numbers, dates and other text are returned unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """``safe_cell`` applied to every value of a row (``sheet.append(safe_row(...))``)."""
    return [safe_cell(value) for value in values]


def unquote_cell(value: Any) -> Any:
    """The inverse of ``safe_cell`` for a cell read back from a file: ``'=x`` → ``=x``. Only
    an apostrophe that protects formula-like text is removed."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value
