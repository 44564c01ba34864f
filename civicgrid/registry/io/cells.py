"""Cell parsers shared by several kinds of ledger: each turns what a person typed into a value
or raises ``CellError`` with the Chinese reason the uploader reads in the error report."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from civicgrid.registry import identity
from civicgrid.registry.io.reader import cell_text


class CellError(ValueError):
    """A cell's value is unusable; the message is the Chinese reason shown to the uploader."""


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value: Any) -> dt.date:
    """2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日, 20240105 or an Excel date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    text = cell_text(value)
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise CellError("日期格式不正确,应为 2024-01-05、2024/1/5 或 2024年1月5日")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise CellError("日期不存在") from exc


def parse_count(value: Any) -> int:
    text = cell_text(value)
    if not text.isdigit():
        raise CellError("应为不小于 0 的整数")
    return int(text)


def parse_float(value: Any) -> float:
    try:
        return float(cell_text(value))
    except ValueError as exc:
        raise CellError("应为数字") from exc


class ChoiceParser:
    """Maps a Chinese label to a choice value. Accepts the full label, its value, either
    half of a label such as "高中/中专", and an unambiguous leading part ("户籍" for
    "户籍人口"), because spreadsheets in the field use the short forms."""

    def __init__(self, choices: type[models.TextChoices]) -> None:
        self.labels = [str(label) for label in choices.labels]
        self.exact: dict[str, str] = {}
        for value, label in choices.choices:
            label = str(label)
            for key in {value, label, *label.split("/")}:
                self.exact.setdefault(key, value)
        self.choices = choices

    def __call__(self, value: Any) -> str:
        text = cell_text(value).replace(" ", "")
        if text in self.exact:
            return self.exact[text]
        matches = {v for k, v in self.exact.items() if k.startswith(text) and len(text) >= 2}
        if len(matches) == 1:
            # A sheet repeats its short form on every row: resolve it once.
            self.exact[text] = value = matches.pop()
            return value
        raise CellError("不是可选值,应为:" + "、".join(self.labels))


@cache
def choice_parser(choices: type[models.TextChoices]) -> ChoiceParser:
    # Spreadsheets carry the Chinese labels whatever language the uploader's pages use.
    with translation.override("zh-hans"):
        return ChoiceParser(choices)


def parse_latitude(value: Any) -> float:
    number = parse_float(value)
    if not -90 <= number <= 90:
        raise CellError("纬度应在 -90 至 90 之间")
    return number


def parse_longitude(value: Any) -> float:
    number = parse_float(value)
    if not -180 <= number <= 180:
        raise CellError("经度应在 -180 至 180 之间")
    return number


def parse_positive(value: Any) -> int:
    number = parse_count(value)
    if number < 1:
        raise CellError("应为正整数")
    return number


def parse_phone(value: Any) -> str:
    try:
        return identity.normalise_phone(cell_text(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


def refuse_excel_number(value: Any) -> None:
    if isinstance(value, int | float) and len(cell_text(value)) > 15:
        # Excel keeps 15 significant digits: an 18-digit ID typed into a number cell has
        # already lost its last digits and may even pass the checksum by chance.
        raise CellError("证件号码被 Excel 存成了数字,末几位已丢失;请把该列设为“文本”后重新填写")


def parse_resident_id(value: Any) -> str:
    refuse_excel_number(value)
    try:
        return identity.parse_resident_id(cell_text(value)).number
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc
