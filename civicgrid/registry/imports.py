"""Ledger imports from the spreadsheets grid workers already keep (ARCHITECTURE rule 4).

One engine for every kind: a sheet (xlsx or CSV, columns in any order, matched by Chinese
header or an alias) is read into memory, each row is validated in Python, existing rows are
looked up in bulk by their natural key, and new or changed rows are written with
``bulk_create`` / ``bulk_update`` in batches plus one historical row each (``write_history``).
Every bad row is reported with its line, column, value and a Chinese reason; good rows are
kept; running the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import operator
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history

from civicgrid.core.imports import ImportReport, csv_rows, decode_text
from civicgrid.core.pii import EncryptedTextField, mask_name
from civicgrid.core.scoping import access_object
from civicgrid.geo.geometry import to_shape
from civicgrid.geo.models import Grid
from civicgrid.geo.selectors import locate_batch
from civicgrid.registry import identity
from civicgrid.registry.choices import (
    PARTY_STATUSES,
    BuildingType,
    DocumentType,
    DwellingUse,
    Education,
    FloatReason,
    HazardLevel,
    HouseholdKind,
    ImportKind,
    LodgingType,
    MaritalStatus,
    Occupancy,
    OrganizationKind,
    PoliticalStatus,
    Presence,
    Relation,
    RentalType,
    Residency,
    Sex,
)
from civicgrid.registry.models import (
    Building,
    Dwelling,
    Household,
    ImportJob,
    Organization,
    Person,
)

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

BATCH_SIZE = 2000

# ---------------------------------------------------------------------------- reading files


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
        return csv_rows(decode_text(data))
    except ValueError as exc:
        raise SheetError(str(exc)) from exc


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SheetError("无法读取 Excel 文件,请确认是 .xlsx 格式") from exc
    sheet = workbook.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [cell.strip() if isinstance(cell, str) else cell for cell in row]
        if any(cell not in (None, "") for cell in cells):
            yield number, cells
    workbook.close()


# ---------------------------------------------------------------------------- cell parsers


class CellError(ValueError):
    """A cell's value is unusable; the message is the Chinese reason shown to the uploader."""


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
            return matches.pop()
        raise CellError("不是可选值,应为:" + "、".join(self.labels))


@cache
def choice_parser(choices: type[models.TextChoices]) -> ChoiceParser:
    # Spreadsheets carry the Chinese labels whatever language the uploader's pages use.
    with translation.override("zh-hans"):
        return ChoiceParser(choices)


# ---------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""  # shown in the template's instructions sheet
    choices: type[models.TextChoices] | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)

    @property
    def instructions(self) -> str:
        if self.choices is not None:
            return "可选:" + "、".join(str(label) for label in self.choices.labels)
        return self.note


def header_key(text: str) -> str:
    """A header cell reduced to its name: no spaces, no "*" marking a required column and no
    note in brackets, so "人口类型(户籍/流动/境外/未落户)" matches "人口类型"."""
    text = re.sub(r"\s", "", text).strip("*＊")
    return re.split(r"[((\[【]", text, maxsplit=1)[0]


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
        shown = cell_text(self.raw(key) if value is None else value)
        self.report.error(self.line, self.columns[key].label, shown, reason)
        self.ok = False

    def get(self, key: str, parser: Callable[[Any], Any] = cell_text, default: Any = "") -> Any:
        """The parsed cell, ``default`` when empty (an error if the column is required)."""
        column = self.columns[key]
        if not self.has(key):
            if column.required:
                self.fail(key, "必填项不能为空")
            return default
        if column.choices is not None and parser is cell_text:
            parser = choice_parser(column.choices)
        try:
            return parser(self.raw(key))
        except CellError as exc:
            self.fail(key, str(exc))
            return default


# ---------------------------------------------------------------------------- the engine


@dataclass
class LedgerReport(ImportReport):
    total_rows: int = 0
    # The file could not be read at all (format, missing columns): nothing was imported.
    fatal: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({e.line for e in self.errors})

    def summary(self) -> str:
        if self.fatal:
            return "文件无法导入:" + "；".join(e.reason for e in self.errors)
        return (
            f"共 {self.total_rows} 行:新增 {self.created} 条,更新 {self.updated} 条,"
            f"未变 {self.unchanged} 条,有错误 {self.rejected_rows} 行(已跳过,其余已保存)"
        )

    def error_dicts(self) -> list[dict[str, Any]]:
        return [
            {"row": e.line, "column": e.column, "value": e.value, "reason": e.reason}
            for e in self.errors
        ]


@dataclass
class ImportContext:
    """Who imports and where: rows outside the uploader's jurisdiction are rejected."""

    user: User | None = None
    scope_code: str = ""  # an extra narrowing (the grid/community chosen for the upload)
    now: dt.datetime = field(default_factory=timezone.now)

    def allows(self, code: str) -> bool:
        if self.scope_code and not code.startswith(self.scope_code):
            return False
        return self.user is None or self.user.in_scope(code, reads="ledgers")

    def scoped(self, queryset: QuerySet[Any], field_name: str = "grid_code") -> QuerySet[Any]:
        """``queryset`` narrowed to what this import may touch."""
        if self.user is not None:
            queryset = queryset.visible_to(self.user)  # type: ignore[attr-defined]
        if self.scope_code:
            queryset = queryset.filter(**{f"{field_name}__startswith": self.scope_code})
        return queryset

    @property
    def history(self) -> dict[str, Any]:
        return {"default_user": self.user, "default_change_reason": "批量导入"}


ProgressCallback = Callable[[int, int], None]


class LedgerImporter:
    """One kind of ledger row. Subclasses declare the columns and validate + write a batch;
    state that spans batches (rows already seen in the file) lives on the instance."""

    kind: str
    columns: tuple[Column, ...]

    def __init__(self, ctx: ImportContext, report: LedgerReport) -> None:
        self.ctx = ctx
        self.report = report
        self.seen: dict[Any, int] = {}  # natural key → first line in the file

    def import_batch(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def first_seen(self, row: Row, key: Any, column: str, what: str) -> bool:
        """False (and an error) when ``key`` already appeared on an earlier line."""
        line = self.seen.get(key)
        if line is not None:
            row.fail(column, f"与第 {line} 行重复({what})")
            return False
        self.seen[key] = row.line
        return True

    # Lookups shared by several kinds -------------------------------------------------------

    def grids_by_code(self, rows: list[Row], key: str = "grid_code") -> dict[str, Grid]:
        codes = {cell_text(r.raw(key)) for r in rows if r.has(key)}
        return {g.code: g for g in Grid.objects.current().filter(code__in=codes)}

    def grid_for(self, row: Row, grids: dict[str, Grid], key: str = "grid_code") -> Grid | None:
        """The grid named in the row, after checking it exists and is in jurisdiction."""
        code = cell_text(row.raw(key))
        grid = grids.get(code)
        if grid is None:
            row.fail(key, "网格编码不存在或已停用")
            return None
        if not self.ctx.allows(grid.code):
            row.fail(key, "该网格不在您的管辖范围内")
            return None
        return grid

    def located_grids(self, points: list[tuple[float, float]]) -> list[Grid | None]:
        ids = locate_batch(points)
        grids = Grid.objects.in_bulk({i for i in ids if i is not None})
        return [grids.get(i) if i is not None else None for i in ids]

    def write(
        self,
        model: type[models.Model],
        new: list[Any],
        changed: list[Any],
        fields: set[str],
    ) -> None:
        if new:
            if connection.features.can_return_rows_from_bulk_insert:
                model._default_manager.bulk_create(new, batch_size=BATCH_SIZE)
                write_history(model, new, "+", self.ctx)
            else:
                bulk_create_with_history(new, model, batch_size=BATCH_SIZE, **self.ctx.history)
            self.report.created += len(new)
        if changed:
            for obj in changed:
                obj.updated_at = self.ctx.now  # bulk_update skips auto_now
            model._default_manager.bulk_update(
                changed, sorted(fields | {"updated_at"}), batch_size=BATCH_SIZE
            )
            write_history(model, changed, "~", self.ctx)
            self.report.updated += len(changed)


def write_history(
    model: type[models.Model], objs: list[Any], kind: str, ctx: ImportContext
) -> None:
    """The historical rows simple-history's ``bulk_history_create`` would write for ``objs``
    ("+" created, "~" changed), inserted with one executemany per batch. Building a
    historical model instance per row and compiling a bulk INSERT for it cost more than
    anything else in a 100,000-row import (measured); every value still goes through its
    field's ``get_db_prep_save``, so encryption and date handling are the ORM's."""
    history = model.history.model  # type: ignore[attr-defined]
    columns = [f for f in history._meta.concrete_fields if not f.primary_key]
    fixed = {
        "history_date": ctx.now,
        "history_change_reason": ctx.history["default_change_reason"],
        "history_type": kind,
        "history_user_id": ctx.user.pk if ctx.user is not None else None,
    }
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(history._meta.db_table),
        ", ".join(quote(f.column) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )
    plan = [(f, f.attname in fixed, fixed.get(f.attname)) for f in columns]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH_SIZE):
            cursor.executemany(
                sql,
                [
                    [
                        f.get_db_prep_save(
                            value if is_fixed else getattr(obj, f.attname), connection
                        )
                        for f, is_fixed, value in plan
                    ]
                    for obj in objs[start : start + BATCH_SIZE]
                ],
            )


# Backends where ``insert_with_history`` can learn the primary keys of rows it inserts.
FAST_INSERT_VENDORS = frozenset({"sqlite", "postgresql"})


def column_preparer(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """``field.get_db_prep_save`` for one column, skipping work that cannot change the value:
    a str in a plain text column is stored as is, and the same date, number or key in a
    batch is prepared once. Encrypted columns always go through the field (fresh token)."""
    if isinstance(field, EncryptedTextField):
        return lambda value: field.get_db_prep_save(value, connection)
    if type(field) in (models.CharField, models.TextField):
        return lambda value: (
            value if isinstance(value, str) else field.get_db_prep_save(value, connection)
        )
    if not isinstance(field, MEMO_FIELDS):
        return lambda value: field.get_db_prep_save(value, connection)
    memo: dict[tuple[type, Any], Any] = {}

    def prepare(value: Any) -> Any:
        key = (type(value), value)
        if key not in memo:
            memo[key] = field.get_db_prep_save(value, connection)
        return memo[key]

    return prepare


# Field types whose database value depends on the Python value alone.
MEMO_FIELDS = (
    models.BooleanField,
    models.DateField,  # DateTimeField too
    models.IntegerField,
    models.ForeignKey,
)


def insert_with_history(
    model: type[models.Model], records: list[dict[str, Any]], ctx: ImportContext
) -> None:
    """Insert ``records`` (attname → value, no primary key) as new rows of ``model`` with
    their "+" historical rows, and set each record's ``"id"``.

    ``bulk_create`` plus ``write_history`` spent most of a 100,000-person import in Django
    preparing ~95 values per person one expression at a time and building a model instance
    per row (measured); here the rows are plain lists sent with one ``executemany`` each.
    Every value still goes through its field's ``get_db_prep_save`` (``column_preparer``),
    so encryption and date handling are the ORM's. The historical row reuses the prepared
    values of the new row, encrypted columns included: the same plaintext under the same
    key, as simple-history would store it, without encrypting everything twice.

    Primary keys: on PostgreSQL they are reserved from the table's sequence first; on
    SQLite the rows are inserted under the write lock this transaction holds, so their
    rowids are consecutive and end at ``last_insert_rowid()``."""
    if not records:
        return
    if connection.vendor not in FAST_INSERT_VENDORS:
        raise NotImplementedError(connection.vendor)
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()  # what pre_save gives auto_now(_add) columns
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    plan = [(f.attname, column_preparer(f)) for f in fields]
    rows = []
    for record in records:
        for attname in stamped:
            record[attname] = now
        rows.append([prepare(record[attname]) for attname, prepare in plan])

    history = model.history.model  # type: ignore[attr-defined]
    history_fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    fixed = {
        "history_date": ctx.now,
        "history_change_reason": ctx.history["default_change_reason"],
        "history_type": "+",
        "history_user_id": ctx.user.pk if ctx.user is not None else None,
    }
    # A historical row is the new row's values, then its id, then the fixed columns.
    position = {attname: i for i, (attname, _) in enumerate(plan)}
    position[pk.attname] = len(plan)
    constants = [
        f.get_db_prep_save(fixed[f.attname], connection)
        for f in history_fields
        if f.attname in fixed
    ]
    for offset, f in enumerate(f for f in history_fields if f.attname in fixed):
        position[f.attname] = len(plan) + 1 + offset
    pick = operator.itemgetter(*(position[f.attname] for f in history_fields))

    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(rows)],
            )
            ids = [pk_value for (pk_value,) in cursor.fetchall()]
            cursor.executemany(
                insert_sql(table, [pk, *fields]),
                [[pk_value, *row] for pk_value, row in zip(ids, rows, strict=True)],
            )
        else:
            cursor.executemany(insert_sql(table, fields), rows)
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
            ids = list(range(last - len(rows) + 1, last + 1))
        cursor.executemany(
            insert_sql(quote(history._meta.db_table), history_fields),
            [pick([*row, pk_value, *constants]) for pk_value, row in zip(ids, rows, strict=True)],
        )
    for record, pk_value in zip(records, ids, strict=True):
        record[pk.attname] = pk_value


def insert_sql(table: str, fields: list[models.Field[Any, Any]]) -> str:
    quote = connection.ops.quote_name
    return "INSERT INTO {} ({}) VALUES ({})".format(
        table, ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )


def apply(obj: Any, values: dict[str, Any], changed_fields: set[str]) -> bool:
    """Set the non-empty ``values`` on ``obj``; True when something differed. Empty cells
    never clear what is already recorded: a partial sheet loses nothing."""
    changed = False
    for name, value in values.items():
        if value in ("", None):
            continue
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed_fields.add(obj._meta.get_field(name).name)  # "grid_id" → "grid"
            changed = True
    return changed


def import_ledger(
    kind: str,
    source: Path | str | IO[bytes],
    *,
    user: User | None = None,
    scope_code: str = "",
    progress: ProgressCallback | None = None,
) -> LedgerReport:
    """Import one ledger file. Each batch commits on its own, so a crash keeps the batches
    before it and a re-run picks up where it stopped (rows already there are unchanged)."""
    report = LedgerReport()
    importer = IMPORTERS[kind](ImportContext(user=user, scope_code=scope_code), report)
    try:
        sheet = read_sheet(source, importer.columns)
    except SheetError as exc:
        report.fatal = True
        report.error(1, "文件", "", str(exc))
        return report
    try:
        positions = map_header(sheet, importer.columns)
    except SheetError as exc:
        report.fatal = True
        report.error(sheet.header_line, "表头", "", str(exc))
        return report
    columns = {c.key: c for c in importer.columns}
    report.total_rows = len(sheet.rows)
    if progress:
        progress(0, report.total_rows)
    for start in range(0, len(sheet.rows), BATCH_SIZE):
        chunk = sheet.rows[start : start + BATCH_SIZE]
        rows = [Row(line, cells, positions, columns, report) for line, cells in chunk]
        with transaction.atomic():
            importer.import_batch(rows)
        if progress:
            progress(start + len(chunk), report.total_rows)
    report.errors.sort(key=lambda e: e.line)
    return report


# ---------------------------------------------------------------------------- buildings

GRID_CODE = Column(
    "grid_code", "网格编码", ("所属网格编码", "网格代码", "所属网格"), note="15 位网格编码"
)


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


class BuildingImporter(LedgerImporter):
    """Natural key: the address within its grid. The grid comes from the coordinates
    (located) or from the grid code; a building given only a grid code is placed at a point
    inside that grid until someone corrects it on the map."""

    kind = ImportKind.BUILDING
    columns = (
        GRID_CODE,
        Column("lng", "经度", ("东经", "longitude"), note="WGS84 十进制度,如 106.7123"),
        Column("lat", "纬度", ("北纬", "latitude"), note="WGS84 十进制度,如 26.5712"),
        Column("address", "地址", ("楼栋地址", "详细地址"), required=True, note="同一网格内唯一"),
        Column("name", "楼栋名称", ("名称",)),
        Column("floors", "楼层数", ("层数", "总层数"), note="正整数"),
        Column("units", "单元数", note="正整数"),
        Column("building_type", "类型", ("楼栋类型", "建筑类型"), choices=BuildingType),
        Column("property_manager", "物业", ("物业服务单位", "物业公司", "物业管理")),
    )

    def import_batch(self, rows: list[Row]) -> None:
        by_code = self.grids_by_code(rows)
        parsed: list[tuple[Row, dict[str, Any]]] = []
        for row in rows:
            values = {
                "address": row.get("address"),
                "name": row.get("name"),
                "floors": row.get("floors", parse_positive, None),
                "units": row.get("units", parse_positive, None),
                "building_type": row.get("building_type"),
                "property_manager": row.get("property_manager"),
                "lat": row.get("lat", parse_latitude, None),
                "lng": row.get("lng", parse_longitude, None),
            }
            if (values["lat"] is None) != (values["lng"] is None) and row.ok:
                row.fail("lat" if values["lat"] is None else "lng", "经度和纬度需同时填写")
            if values["lat"] is None and not row.has("grid_code") and row.ok:
                row.fail("grid_code", "请填写网格编码或经纬度")
            if row.ok:
                parsed.append((row, values))

        located = self.located_grids(
            [(v["lat"], v["lng"]) for _, v in parsed if v["lat"] is not None]
        )
        placed: list[tuple[Row, dict[str, Any], Grid]] = []
        points = iter(located)
        for row, values in parsed:
            grid = next(points) if values["lat"] is not None else None
            if row.has("grid_code"):
                named = self.grid_for(row, by_code)
                if named is None:
                    continue
                if values["lat"] is not None and grid is not None and grid.pk != named.pk:
                    row.fail("grid_code", f"坐标位于网格 {grid.code},与填写的网格编码不符")
                    continue
                grid = named
            elif grid is None:
                row.fail("lat", "坐标不在任何网格内", f"{values['lat']},{values['lng']}")
                continue
            elif not self.ctx.allows(grid.code):
                row.fail("lat", f"坐标位于网格 {grid.code},不在您的管辖范围内")
                continue
            if self.first_seen(row, (grid.pk, values["address"]), "address", "同一网格内地址相同"):
                placed.append((row, values, grid))

        existing = {
            (b.grid_id, b.address): b
            for b in Building.objects.current().filter(
                grid__in={g for _, _, g in placed}, address__in={v["address"] for _, v, _ in placed}
            )
        }
        new, changed, fields = [], [], set[str]()
        for _row, values, grid in placed:
            building = existing.get((grid.pk, values["address"]))
            if building is None:
                if values["lat"] is None:
                    values["lat"], values["lng"] = inside_point(grid)
                building = Building(
                    grid=grid, **{k: v for k, v in values.items() if v not in ("", None)}
                )
                building.sync_grid_code()
                new.append(building)
            elif apply(building, values, fields):
                changed.append(building)
            else:
                self.report.unchanged += 1
        self.write(Building, new, changed, fields)


def inside_point(grid: Grid) -> tuple[float, float]:
    """(lat, lng) of a point guaranteed inside the grid's polygon."""
    point = to_shape(grid.geometry).representative_point()
    return point.y, point.x


# ---------------------------------------------------------------------------- dwellings


def parse_floor(value: Any) -> int:
    text = cell_text(value).removesuffix("层").removesuffix("楼")
    try:
        number = int(text)
    except ValueError as exc:
        raise CellError("楼层应为整数(地下层用负数)") from exc
    if not -10 <= number <= 200:
        raise CellError("楼层应在 -10 至 200 之间")
    return number


def parse_unit(value: Any) -> str:
    return cell_text(value).removesuffix("单元")


def parse_area(value: Any) -> Decimal:
    try:
        area = Decimal(cell_text(value)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise CellError("面积应为数字(平方米)") from exc
    if not 0 < area < 1_000_000:
        raise CellError("面积应大于 0")
    return area


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


class DwellingHouseholdImporter(LedgerImporter):
    """One row per dwelling and, optionally, the household living in it (several rows may
    name the same room for several households). Natural keys: building + unit + room for
    the dwelling, the household number (户号) for the household — or, without a number, the
    one unnumbered household of the dwelling."""

    kind = ImportKind.DWELLING_HOUSEHOLD
    columns = (
        Column("grid_code", "网格编码", GRID_CODE.aliases, note="楼栋地址在多个网格重名时必填"),
        Column(
            "building",
            "楼栋地址",
            ("楼栋", "所属楼栋", "地址"),
            required=True,
            note="须与已导入楼栋的地址一致",
        ),
        Column("unit", "单元", note="如 1 或 1单元"),
        Column("floor", "楼层", ("所在楼层",), note="整数,地下层用负数"),
        Column("room", "房号", ("门牌号", "室号"), required=True),
        Column("use", "用途", ("房屋用途",), choices=DwellingUse),
        Column("occupancy", "居住状态", ("使用状态", "房屋状态"), choices=Occupancy),
        Column("area_m2", "面积", ("建筑面积", "面积(平方米)"), note="平方米"),
        Column("lessor_name", "出租人", ("房东", "出租人姓名")),
        Column("lessor_phone", "出租人电话", ("房东电话", "出租人联系电话")),
        Column("rental_type", "出租类型", ("出租房类型",), choices=RentalType),
        Column("hazard_level", "隐患等级", ("出租房屋隐患等级", "隐患程度"), choices=HazardLevel),
        Column("number", "户号", ("户口簿户号",)),
        Column("household_kind", "户别", ("户类型", "住户类型"), choices=HouseholdKind),
        Column(
            "head_id",
            "户主身份证号",
            ("户主证件号码", "户主公民身份号码"),
            note="户主已登记时自动关联;否则导入人口时按“与户主关系=户主”关联",
        ),
    )

    def import_batch(self, rows: list[Row]) -> None:
        grids = self.grids_by_code(rows)
        buildings = self._buildings(rows)
        parsed: list[tuple[Row, Building, dict[str, Any], dict[str, Any] | None]] = []
        for row in rows:
            dwelling = {
                "unit": row.get("unit", parse_unit),
                "floor": row.get("floor", parse_floor, None),
                "room": row.get("room"),
                "use": row.get("use"),
                "occupancy": row.get("occupancy"),
                "area_m2": row.get("area_m2", parse_area, None),
                "lessor_name": row.get("lessor_name"),
                "lessor_phone": row.get("lessor_phone", parse_phone),
                "rental_type": row.get("rental_type"),
                "hazard_level": row.get("hazard_level"),
            }
            household = None
            if row.has("number") or row.has("household_kind") or row.has("head_id"):
                household = {
                    "number": row.get("number"),
                    "kind": row.get("household_kind"),
                    "head_id_number": row.get("head_id", parse_resident_id),
                }
            if (dwelling["rental_type"] or dwelling["hazard_level"]) and dwelling[
                "occupancy"
            ] != Occupancy.RENTED:
                key = "rental_type" if dwelling["rental_type"] else "hazard_level"
                row.fail(key, "只有居住状态为“出租”的房屋才填写出租类型和隐患等级")
            building = self._building_for(row, grids, buildings)
            if not row.ok or building is None:
                continue
            room_key = (building.pk, dwelling["unit"], dwelling["room"])
            household_key = (room_key, household["number"] if household else None)
            if self.first_seen(row, household_key, "room", "同一楼栋、单元、房号和户号"):
                parsed.append((row, building, dwelling, household))

        dwellings = self._write_dwellings(parsed)
        self._write_households(parsed, dwellings)

    def _buildings(self, rows: list[Row]) -> dict[str, list[Building]]:
        addresses = {cell_text(r.raw("building")) for r in rows if r.has("building")}
        found: dict[str, list[Building]] = {}
        for b in self.ctx.scoped(Building.objects.current().filter(address__in=addresses)):
            found.setdefault(b.address, []).append(b)
        return found

    def _building_for(
        self, row: Row, grids: dict[str, Grid], buildings: dict[str, list[Building]]
    ) -> Building | None:
        candidates = buildings.get(cell_text(row.raw("building")), [])
        if row.has("grid_code"):
            grid = self.grid_for(row, grids)
            if grid is None:
                return None
            candidates = [b for b in candidates if b.grid_id == grid.pk]
        if not candidates:
            if row.ok:
                row.fail("building", "楼栋不存在或不在您的管辖范围内,请先导入楼栋")
            return None
        if len(candidates) > 1:
            row.fail("building", "多个网格有相同地址的楼栋,请填写网格编码")
            return None
        return candidates[0]

    def _write_dwellings(
        self, parsed: list[tuple[Row, Building, dict[str, Any], dict[str, Any] | None]]
    ) -> dict[tuple[int, str, str], Dwelling]:
        existing: dict[tuple[int, str, str], Dwelling] = {
            (d.building_id, d.unit, d.room): d
            for d in Dwelling.objects.current().filter(
                building__in={b.pk for _, b, _, _ in parsed},
                room__in={v["room"] for _, _, v, _ in parsed},
            )
        }
        new, changed, fields, touched = [], [], set[str](), set[tuple[int, str, str]]()
        for _row, building, values, _household in parsed:
            key = (building.pk, values["unit"], values["room"])
            if key in touched:
                continue  # a further household of a room already handled in this batch
            touched.add(key)
            dwelling = existing.get(key)
            if dwelling is None:
                dwelling = Dwelling(
                    building=building,
                    grid_id=building.grid_id,
                    grid_code=building.grid_code,
                    **{k: v for k, v in values.items() if v not in ("", None)},
                )
                dwelling.unit = values["unit"]
                existing[key] = dwelling
                new.append(dwelling)
            elif apply(dwelling, values, fields):
                changed.append(dwelling)
            else:
                self.report.unchanged += 1
        self.write(Dwelling, new, changed, fields)
        return existing

    def _write_households(
        self,
        parsed: list[tuple[Row, Building, dict[str, Any], dict[str, Any] | None]],
        dwellings: dict[tuple[int, str, str], Dwelling],
    ) -> None:
        wanted = [(row, dwellings[(b.pk, d["unit"], d["room"])], h) for row, b, d, h in parsed if h]
        numbers = {h["number"] for _, _, h in wanted if h["number"]}
        by_number = {h.number: h for h in Household.objects.current().filter(number__in=numbers)}
        unnumbered = {
            h.dwelling_id: h
            for h in Household.objects.current().filter(
                number="", dwelling__in=[d.pk for _, d, h in wanted if not h["number"]]
            )
        }
        heads = {
            p.id_number_index: p
            for p in Person.objects.current()
            .filter(
                id_number_index__in={
                    identity.id_number_index(h["head_id_number"])
                    for _, _, h in wanted
                    if h["head_id_number"]
                }
            )
            .only("pk", "id_number_index", "grid_code")
        }
        new, changed, fields = [], [], set[str]()
        for row, dwelling, values in wanted:
            number = values["number"]
            household = by_number.get(number) if number else unnumbered.get(dwelling.pk)
            head = heads.get(identity.id_number_index(values["head_id_number"]))
            if head is not None and not self.ctx.allows(head.grid_code):
                head = None  # registered elsewhere: linked when the person moves in
            update = {"kind": values["kind"], "head_id": head.pk if head else None}
            if household is None:
                household = Household(
                    dwelling=dwelling,
                    grid_id=dwelling.grid_id,
                    grid_code=dwelling.grid_code,
                    number=number,
                    **{k: v for k, v in update.items() if v not in ("", None)},
                )
                new.append(household)
                if number:
                    by_number[number] = household
                else:
                    unnumbered[dwelling.pk] = household
            elif household.pk is None:
                row.fail("number", "与前面的行户号相同,但房屋不同")
            elif household.dwelling_id != dwelling.pk:
                where = "其他房屋" if self.ctx.allows(household.grid_code) else "其他网格"
                row.fail("number", f"该户号已登记在{where},迁移住户请在台账页面办理")
            elif apply(household, update, fields):
                changed.append(household)
            else:
                self.report.unchanged += 1
        self.write(Household, new, changed, fields)


# ---------------------------------------------------------------------------- people

_RELATION_WORDS = {
    "本人": Relation.HEAD,
    "户主本人": Relation.HEAD,
    "妻": Relation.SPOUSE,
    "夫": Relation.SPOUSE,
    "子": Relation.CHILD,
    "女": Relation.CHILD,
}
_relation_choice = choice_parser(Relation)


def parse_relation(value: Any) -> str:
    return _RELATION_WORDS.get(cell_text(value)) or _relation_choice(value)


_STAY = re.compile(r"^(\d+)\s*(个月|月|年)?$")


def parse_stay_months(value: Any) -> int:
    """Expected stay in months: "6", "6个月" or "2年"."""
    match = _STAY.match(cell_text(value))
    if not match:
        raise CellError("预计居住期限应为月数,如 6、6个月 或 1年")
    months = int(match.group(1)) * (12 if match.group(2) == "年" else 1)
    if months > 1200:
        raise CellError("预计居住期限过长")
    return months


class PersonImporter(LedgerImporter):
    """Natural key: the blind index of the identity document number. The grid comes from the
    household (户号) or, for people without one here, from the grid code. Moving a recorded
    person to another household is a lifecycle step (move in/out), not an import."""

    kind = ImportKind.PERSON
    columns = (
        Column("name", "姓名", required=True),
        Column("former_name", "曾用名"),
        Column("document_type", "证件类型", choices=DocumentType, note="留空为居民身份证"),
        Column(
            "id_number",
            "证件号码",
            ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号"),
            required=True,
            note="居民身份证校验末位;出生日期、性别由身份证号自动得出",
        ),
        Column("sex", "性别", choices=Sex, note="仅非身份证人员填写"),
        Column("birth_date", "出生日期", note="仅非身份证人员填写"),
        Column("ethnicity", "民族"),
        Column("phone", "联系电话", ("手机号", "手机号码", "电话", "联系方式")),
        Column("residency", "人口类型", ("人员类型", "人口类别"), choices=Residency),
        Column("number", "户号", ("所属户号",), note="先导入房屋与住户;无户号时填网格编码"),
        Column("relation", "与户主关系", ("关系",), choices=Relation),
        Column("presence", "人户状态", choices=Presence),
        GRID_CODE,
        Column("address", "现住址", ("详细住址", "现居住地址", "居住地址", "现住房屋")),
        Column("hukou_place", "户籍地", ("户籍地址", "户籍所在地")),
        Column("education", "文化程度", ("学历",), choices=Education),
        Column("marital_status", "婚姻状况", ("婚姻状态",), choices=MaritalStatus),
        Column("political_status", "政治面貌", choices=PoliticalStatus),
        Column("occupation", "职业"),
        Column("workplace", "工作单位", ("服务处所", "工作单位或学校")),
        Column("moved_in_on", "迁入日期", note="如 2024-01-05、2024/1/5、2024年1月5日"),
        Column("float_reason", "流入原因", choices=FloatReason),
        Column("arrived_on", "流入日期", ("来本地日期", "来本地时间")),
        Column(
            "expected_stay_months",
            "预计居住期限",
            ("预计居住时长", "预计居住月数"),
            note="月数,如 6、6个月 或 1年",
        ),
        Column("lodging_type", "暂住处所类型", ("住所类型", "居住处所"), choices=LodgingType),
    )

    def __init__(self, ctx: ImportContext, report: LedgerReport) -> None:
        super().__init__(ctx, report)
        self.heads: dict[int, int] = {}  # household pk → line that named its head

    def import_batch(self, rows: list[Row]) -> None:
        grids = self.grids_by_code(rows)
        numbers = {cell_text(r.raw("number")) for r in rows if r.has("number")}
        households = {
            h.number: h
            for h in self.ctx.scoped(
                Household.objects.current().filter(number__in=numbers).select_related("grid")
            )
        }
        parsed: list[
            tuple[Row, dict[str, Any], Household | None, identity.IdentityInfo | None]
        ] = []
        for row in rows:
            values, info = self._values(row)
            household, grid = None, None
            if row.has("number"):
                household = households.get(values.pop("number"))
                if household is None:
                    row.fail("number", "户号不存在或不在您的管辖范围内,请先导入房屋与住户")
            else:
                values.pop("number")
            if row.has("grid_code"):
                grid = self.grid_for(row, grids)
                if grid and household and household.grid_id != grid.pk:
                    row.fail("grid_code", "与户号所在网格不一致")
            elif household is None and row.ok:
                row.fail("grid_code", "请填写户号或网格编码")
            if not row.ok:
                continue
            values["grid"] = household.grid if household else grid
            values["household_id"] = household.pk if household else None
            values["dwelling_id"] = household.dwelling_id if household else None
            index = identity.id_number_index(values["id_number"])
            if self.first_seen(row, index, "id_number", "证件号码相同"):
                values["id_number_index"] = index
                parsed.append((row, values, household, info))

        existing = {
            p.id_number_index: p
            for p in Person.objects.current().filter(
                id_number_index__in={v["id_number_index"] for _, v, _, _ in parsed}
            )
        }
        # Evaluated per batch rather than per row: Person has no callable defaults.
        defaults = {
            f.attname: f.get_default() for f in Person._meta.concrete_fields if not f.primary_key
        }
        new: list[dict[str, Any]] = []
        changed, fields = [], set[str]()
        accepted: list[tuple[Row, Person | dict[str, Any], Household | None, str]] = []
        for row, values, household, info in parsed:
            index = values.pop("id_number_index")
            person = existing.get(index)
            relation = values["relation"]
            if person is None:
                record = new_person(defaults, values, index, info)
                new.append(record)
                accepted.append((row, record, household, relation))
                continue
            if self._conflict(row, person, values):
                continue
            elif apply(person, values, fields):
                person.fill_derived()
                fields.update(DERIVED_PERSON_FIELDS)
                changed.append(person)
            else:
                self.report.unchanged += 1
            accepted.append((row, person, household, relation))
        people: list[Person] = []
        if connection.vendor in FAST_INSERT_VENDORS:
            insert_with_history(Person, new, self.ctx)
            self.report.created += len(new)
        else:
            people = [Person(**record) for record in new]
        self.write(Person, people, changed, fields)
        for record, created in zip(new, people, strict=False):
            record["id"] = created.pk
        self._link_heads(
            [
                (row, person["id"] if isinstance(person, dict) else person.pk, household, relation)
                for row, person, household, relation in accepted
            ]
        )

    def _values(self, row: Row) -> tuple[dict[str, Any], identity.IdentityInfo | None]:
        document_type = row.get("document_type") or DocumentType.RESIDENT_ID
        info = row.get("id_number", lambda v: parse_identity(document_type, v), None)
        values: dict[str, Any] = {
            "name": row.get("name"),
            "former_name": row.get("former_name"),
            "document_type": document_type,
            "id_number": info.number if info is not None else "",
            "ethnicity": row.get("ethnicity"),
            "phone": row.get("phone", parse_phone),
            "residency": row.get("residency"),
            "number": cell_text(row.raw("number")),
            "relation": row.get("relation", parse_relation),
            "presence": row.get("presence"),
            "address": row.get("address"),
            "hukou_place": row.get("hukou_place"),
            "education": row.get("education"),
            "marital_status": row.get("marital_status"),
            "political_status": row.get("political_status"),
            "occupation": row.get("occupation"),
            "workplace": row.get("workplace"),
            "moved_in_on": row.get("moved_in_on", parse_date, None),
            "float_reason": row.get("float_reason"),
            "arrived_on": row.get("arrived_on", parse_date, None),
            "expected_stay_months": row.get("expected_stay_months", parse_stay_months, None),
            "lodging_type": row.get("lodging_type"),
        }
        if document_type != DocumentType.RESIDENT_ID:
            values["sex"] = row.get("sex")
            values["birth_date"] = row.get("birth_date", parse_date, None)
        return values, info

    def _conflict(self, row: Row, person: Person, values: dict[str, Any]) -> bool:
        """A recorded person the row may not update: registered in another jurisdiction,
        recorded under another name, or living in another household or grid."""
        if not self.ctx.allows(person.grid_code):
            row.fail("id_number", "该证件号码已在其他网格登记,请由原网格办理迁出后再迁入")
        elif person.name != values["name"]:
            row.fail(
                "id_number",
                f"该证件号码已登记为“{mask_name(person.name)}”,与填写的姓名不符,请核对",
            )
        elif values["household_id"] is not None and person.household_id not in (
            None,
            values["household_id"],
        ):
            row.fail("number", "该人员已登记在其他住户,迁移请在人员页面办理迁入/迁出")
        elif person.grid_id != values["grid"].pk:
            key = "number" if values["household_id"] is not None else "grid_code"
            row.fail(key, "该人员已登记在其他网格,迁移请在人员页面办理迁入/迁出")
        else:
            values.pop("grid")
            return False
        return True

    def _link_heads(self, accepted: list[tuple[Row, int, Household | None, str]]) -> None:
        """A person (by pk) whose relation is 户主 becomes the head of a household that has
        none."""
        changed: dict[int, Household] = {}
        for row, person_pk, household, relation in accepted:
            if household is None or relation != Relation.HEAD:
                continue
            first = self.heads.get(household.pk)
            if first is not None:
                row.fail("relation", f"与第 {first} 行为同一户的户主,一户只能有一个户主")
                continue
            self.heads[household.pk] = row.line
            if household.head_id in (None, person_pk):
                if household.head_id is None:
                    household.head_id = person_pk
                    changed[household.pk] = household
            else:
                row.fail("relation", "该户已登记了其他户主,更换户主请在住户页面办理")
        if changed:
            households = list(changed.values())
            for household in households:
                household.updated_at = self.ctx.now
            # One parametrised UPDATE run per household: bulk_update's CASE WHEN over up to
            # 2,000 ids cost more to compile than the import of those people (measured).
            meta = Household._meta
            head, updated_at = meta.get_field("head"), meta.get_field("updated_at")
            quote = connection.ops.quote_name
            stamp = updated_at.get_db_prep_save(self.ctx.now, connection)
            table, pk = quote(meta.db_table), quote(meta.pk.column)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET {quote(head.column)} = %s,"
                    f" {quote(updated_at.column)} = %s WHERE {pk} = %s",
                    [
                        (head.get_db_prep_save(h.head_id, connection), stamp, h.pk)
                        for h in households
                    ],
                )
            write_history(Household, households, "~", self.ctx)


def new_person(
    defaults: dict[str, Any],
    values: dict[str, Any],
    id_number_index: str,
    info: identity.IdentityInfo | None,
) -> dict[str, Any]:
    """The column values (by attname) that ``Person(**values)`` followed by ``fill_derived``
    gives, without a model instance per row and reusing the ID parsed during validation
    (``fill_derived`` would parse it a second time)."""
    record = dict(defaults)
    record.update((k, v) for k, v in values.items() if v not in ("", None))
    grid = record.pop("grid")
    record["grid_id"], record["grid_code"] = grid.pk, grid.code
    record["name_initials"] = identity.name_initials(record["name"])
    record["id_number_index"] = id_number_index
    record["phone_index"] = identity.phone_index(record["phone"] or "")
    record["address_index"] = identity.address_index(record["address"] or "")
    record["is_party_member"] = record["political_status"] in PARTY_STATUSES
    if info is not None and record["document_type"] == DocumentType.RESIDENT_ID:
        record["birth_date"], record["sex"] = info.birth_date, info.sex
    return record


DERIVED_PERSON_FIELDS = (
    "name_initials",
    "id_number_index",
    "phone_index",
    "address_index",
    "is_party_member",
    "birth_date",
    "sex",
)


def parse_document(document_type: str, value: Any) -> str:
    return parse_identity(document_type, value).number


def parse_identity(document_type: str, value: Any) -> identity.IdentityInfo:
    """The validated document with what a resident ID tells (birth date, sex)."""
    refuse_excel_number(value)
    try:
        return identity.parse_document(document_type, cell_text(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


# ---------------------------------------------------------------------------- organisations


def parse_uscc(value: Any) -> str:
    try:
        return identity.validate_uscc(cell_text(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


class OrganizationImporter(LedgerImporter):
    """Natural key: the unified social credit code; for the few without one (some
    individual shops), the name within the grid."""

    kind = ImportKind.ORGANIZATION
    columns = (
        Column("name", "名称", ("单位名称", "组织名称", "企业名称"), required=True),
        Column("kind", "类别", ("类型", "组织类别", "单位类型"), choices=OrganizationKind),
        Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码"), note="18 位,校验末位"),
        Column("address", "地址", ("单位地址", "经营地址"), required=True),
        GRID_CODE,
        Column("lng", "经度", ("东经", "longitude")),
        Column("lat", "纬度", ("北纬", "latitude")),
        Column("contact_name", "联系人", ("负责人", "法定代表人")),
        Column("contact_phone", "联系电话", ("电话", "联系方式")),
        Column("staff_count", "从业人数", ("员工人数", "职工人数"), note="不小于 0 的整数"),
    )

    def import_batch(self, rows: list[Row]) -> None:
        grids = self.grids_by_code(rows)
        parsed: list[tuple[Row, dict[str, Any]]] = []
        for row in rows:
            values = {
                "name": row.get("name"),
                "kind": row.get("kind"),
                "uscc": row.get("uscc", parse_uscc),
                "address": row.get("address"),
                "lat": row.get("lat", parse_latitude, None),
                "lng": row.get("lng", parse_longitude, None),
                "contact_name": row.get("contact_name"),
                "contact_phone": row.get("contact_phone", parse_phone),
                "staff_count": row.get("staff_count", parse_count, None),
            }
            if (values["lat"] is None) != (values["lng"] is None) and row.ok:
                row.fail("lat" if values["lat"] is None else "lng", "经度和纬度需同时填写")
            if values["lat"] is None and not row.has("grid_code") and row.ok:
                row.fail("grid_code", "请填写网格编码或经纬度")
            if row.ok:
                parsed.append((row, values))

        located = iter(
            self.located_grids([(v["lat"], v["lng"]) for _, v in parsed if v["lat"] is not None])
        )
        placed: list[tuple[Row, dict[str, Any]]] = []
        for row, values in parsed:
            grid = next(located) if values["lat"] is not None else None
            if row.has("grid_code"):
                named = self.grid_for(row, grids)
                if named is None:
                    continue
                if grid is not None and grid.pk != named.pk:
                    row.fail("grid_code", f"坐标位于网格 {grid.code},与填写的网格编码不符")
                    continue
                grid = named
            elif grid is None:
                row.fail("lat", "坐标不在任何网格内", f"{values['lat']},{values['lng']}")
                continue
            elif not self.ctx.allows(grid.code):
                row.fail("lat", f"坐标位于网格 {grid.code},不在您的管辖范围内")
                continue
            values["grid"] = grid
            key = values["uscc"] or (grid.pk, values["name"])
            what = "统一社会信用代码相同" if values["uscc"] else "同一网格内名称相同且无信用代码"
            if self.first_seen(row, key, "uscc" if values["uscc"] else "name", what):
                placed.append((row, values))

        by_uscc = {
            o.uscc: o
            for o in Organization.objects.filter(
                uscc__in={v["uscc"] for _, v in placed if v["uscc"]}
            )
        }
        by_name = {
            (o.grid_id, o.name): o
            for o in Organization.objects.current().filter(
                uscc="",
                grid__in={v["grid"] for _, v in placed if not v["uscc"]},
                name__in={v["name"] for _, v in placed if not v["uscc"]},
            )
        }
        new, changed, fields = [], [], set[str]()
        for row, values in placed:
            if values["uscc"]:
                organization = by_uscc.get(values["uscc"])
            else:
                organization = by_name.get((values["grid"].pk, values["name"]))
            if organization is None:
                organization = Organization(
                    **{k: v for k, v in values.items() if v not in ("", None)}
                )
                organization.sync_grid_code()
                new.append(organization)
                continue
            if not self.ctx.allows(organization.grid_code):
                row.fail("uscc", "该统一社会信用代码已由其他网格登记")
                continue
            if organization.retired_on is not None:
                row.fail("uscc", "该组织已注销,如需恢复请在组织页面办理")
                continue
            # Moving premises to another grid changes who is responsible for it.
            grid = values.pop("grid")
            values.update(grid_id=grid.pk, grid_code=grid.code)
            if apply(organization, values, fields):
                changed.append(organization)
            else:
                self.report.unchanged += 1
        self.write(Organization, new, changed, fields)


IMPORTERS: dict[str, type[LedgerImporter]] = {
    ImportKind.BUILDING: BuildingImporter,
    ImportKind.DWELLING_HOUSEHOLD: DwellingHouseholdImporter,
    ImportKind.PERSON: PersonImporter,
    ImportKind.ORGANIZATION: OrganizationImporter,
}


def access_import_job(user: Any, pk: Any) -> ImportJob:
    """The job if the user uploaded it or covers its area; 404 otherwise."""
    return access_object(ImportJob.objects.select_related("created_by"), user, pk)
