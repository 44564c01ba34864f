"""Spreadsheets and printouts that leave the server: import templates, error reports and a
grid's ledger (台账).

- Every cell of user text goes through ``core.spreadsheet.safe_cell``, so a name such as
  ``=HYPERLINK(...)`` is text in Excel, never a formula (rule 7).
- A ledger's rows come from ``visible_to(user)``: the jurisdiction and the READS table decide
  what a sheet may hold, not only the grid in the URL (docs/architecture.md "One way in").
- Personal data is masked unless an audited reason lifted it (rule 3), and every bulk export
  or printed page writes an audit entry saying who took how many rows of which grid, masked or
  not (``audit_bulk_output``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from civicgrid.core.audit import audit_record
from civicgrid.core.spreadsheet import safe_cell, safe_row
from civicgrid.geo.models import Grid
from civicgrid.registry.choices import ImportKind
from civicgrid.registry.io.kinds import IMPORTERS
from civicgrid.registry.io.reader import cell_text
from civicgrid.registry.models import Building, Dwelling, Household, Organization, Person
from civicgrid.registry.presenters import (
    present_building,
    present_dwelling,
    present_household,
    present_organization,
    present_person,
)
from civicgrid.registry.services import disclosure_authorize

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BOLD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FDE9D9")


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- templates


def template_filename(kind: str, extension: str) -> str:
    return f"{ImportKind(kind).label}导入模板.{extension}"


@translation.override("zh-hans")
def template_xlsx(kind: str) -> bytes:
    """An empty sheet with the Chinese headers (required ones marked *), drop-down lists for
    the enumerations, and a second sheet explaining every column. Always Chinese: the import
    reads the Chinese labels whatever language the uploader's pages use."""
    columns = IMPORTERS[kind].columns
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "导入模板"
    sheet.append(safe_row(f"{c.label}*" if c.required else c.label for c in columns))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet[f"{letter}1"]
        cell.font = _BOLD
        if column.required:
            cell.fill = _REQUIRED
        sheet.column_dimensions[letter].width = max(10, len(column.label) * 2 + 4)
        if column.choices is not None:
            labels = ",".join(str(label) for label in column.choices.labels)
            validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
            validation.error = "请从下拉列表中选择"
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}5000")
        if column.key in {"id_number", "head_id", "uscc", "phone", "contact_phone", "number"}:
            # Text format keeps Excel from turning 18-digit numbers into 5.2E+17.
            for row in range(2, 5001):
                sheet[f"{letter}{row}"].number_format = "@"

    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明", "也可使用的列名"])
    for cell in notes[1]:
        cell.font = _BOLD
    for column in columns:
        notes.append(
            safe_row(
                [
                    column.label,
                    "必填" if column.required else "",
                    column.instructions,
                    "、".join(column.aliases),
                ]
            )
        )
    notes.append([])
    notes.append(["列的顺序不限;日期可写作 2024-01-05、2024/1/5 或 2024年1月5日。"])
    notes.append(["同一文件可重复导入:已有记录按唯一标识更新,不会重复新增。"])
    for letter, width in zip("ABCD", (16, 10, 60, 40), strict=True):
        notes.column_dimensions[letter].width = width
    return _save(workbook)


def template_csv(kind: str) -> bytes:
    """The header row as UTF-8 with a BOM, which Excel needs to show Chinese correctly."""
    columns = IMPORTERS[kind].columns
    header = ",".join(safe_cell(f"{c.label}*" if c.required else c.label) for c in columns)
    return ("\ufeff" + header + "\r\n").encode("utf-8")


# ---------------------------------------------------------------------------- error report


def error_report_xlsx(errors: Iterable[dict[str, Any]]) -> bytes:
    """The rejected rows of an import. The values were masked when the rows were rejected
    (``columns.Row.fail``); what remains is still the uploader's text, so it is made safe."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误明细")
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 28
    sheet.column_dimensions["D"].width = 60
    sheet.append(["行号", "列", "值", "原因"])
    for error in errors:
        sheet.append(safe_row([error["row"], error["column"], error["value"], error["reason"]]))
    return _save(workbook)


# ---------------------------------------------------------------------------- the ledger


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _number(value: Any) -> Any:
    return float(value) if value is not None else ""


# A row of a sheet comes from the entity's presenter (``registry.presenters``), which masks the
# personal data unless the export was authorised unmasked: the export never reads an encrypted
# field itself (rule 7).
Presenter = Callable[[Any, Any, bool], dict[str, Any]]
Getter = Callable[[dict[str, Any]], Any]


def _present_household(household: Any, user: Any, unmasked: bool) -> dict[str, Any]:
    data = present_household(household, user=user)
    data["dwelling"] = present_dwelling(household.dwelling, user=user)
    head = household.head if household.head_id else None
    data["head"] = present_person(head, user=user, unmasked=unmasked) if head else None
    return data


def _sheet_spec() -> dict[str, tuple[Presenter, list[str], list[Getter]]]:
    """Sheet name → (presenter, headers, one getter per column of the presented row).
    Headers are the import templates' column names, so a sheet of an unmasked ledger can be
    imported again as it is."""

    def spec(
        presenter: Presenter, *pairs: tuple[str, Getter]
    ) -> tuple[Presenter, list[str], list[Getter]]:
        return presenter, [h for h, _ in pairs], [g for _, g in pairs]

    return {
        "楼栋": spec(
            lambda b, user, unmasked: present_building(b, user=user),
            ("网格编码", lambda b: b["grid_code"]),
            ("地址", lambda b: b["address"]),
            ("楼栋名称", lambda b: b["name"]),
            ("经度", lambda b: b["lng"]),
            ("纬度", lambda b: b["lat"]),
            ("楼层数", lambda b: b["floors"]),
            ("单元数", lambda b: b["units"]),
            ("类型", lambda b: b["building_type_display"]),
            ("物业", lambda b: b["property_manager"]),
            ("最近核实日期", lambda b: _date(b["last_verified_on"])),
        ),
        "房屋": spec(
            lambda d, user, unmasked: present_dwelling(d, user=user, unmasked=unmasked),
            ("网格编码", lambda d: d["grid_code"]),
            ("楼栋地址", lambda d: d["building"]["address"]),
            ("单元", lambda d: d["unit"]),
            ("楼层", lambda d: d["floor"]),
            ("房号", lambda d: d["room"]),
            ("用途", lambda d: d["use_display"]),
            ("居住状态", lambda d: d["occupancy_display"]),
            ("面积", lambda d: _number(d["area_m2"])),
            ("出租人", lambda d: d["lessor_name"]),
            ("出租人电话", lambda d: d["lessor_phone"]),
            ("出租类型", lambda d: d["rental_type_display"]),
            ("隐患等级", lambda d: d["hazard_level_display"]),
        ),
        "住户": spec(
            _present_household,
            ("网格编码", lambda h: h["grid_code"]),
            ("楼栋地址", lambda h: h["dwelling"]["building"]["address"]),
            ("单元", lambda h: h["dwelling"]["unit"]),
            ("房号", lambda h: h["dwelling"]["room"]),
            ("户号", lambda h: h["number"]),
            ("户别", lambda h: h["kind_display"]),
            ("户主", lambda h: h["head_name"]),
            ("户主身份证号", lambda h: h["head"]["id_number"] if h["head"] else ""),
        ),
        "人员": spec(
            lambda p, user, unmasked: present_person(p, user=user, unmasked=unmasked),
            ("网格编码", lambda p: p["grid_code"]),
            ("姓名", lambda p: p["name"]),
            ("曾用名", lambda p: p["former_name"]),
            ("性别", lambda p: p["sex_display"]),
            ("出生日期", lambda p: _date(p["birth_date"])),
            ("证件类型", lambda p: p["document_type_display"]),
            ("证件号码", lambda p: p["id_number"]),
            ("民族", lambda p: p["ethnicity"]),
            ("联系电话", lambda p: p["phone"]),
            ("人口类型", lambda p: p["residency_display"]),
            ("户号", lambda p: p["household"]["number"] if p["household"] else ""),
            ("与户主关系", lambda p: p["relation_display"]),
            ("人户状态", lambda p: p["presence_display"]),
            ("现住址", lambda p: p["address"]),
            ("户籍地", lambda p: p["hukou_place"]),
            ("文化程度", lambda p: p["education_display"]),
            ("婚姻状况", lambda p: p["marital_status_display"]),
            ("政治面貌", lambda p: p["political_status_display"]),
            ("职业", lambda p: p["occupation"]),
            ("工作单位", lambda p: p["workplace"]),
            ("迁入日期", lambda p: _date(p["moved_in_on"])),
            ("流入原因", lambda p: p["float_reason_display"]),
            ("流入日期", lambda p: _date(p["arrived_on"])),
            ("预计居住期限", lambda p: p["expected_stay_months"] or ""),
            ("暂住处所类型", lambda p: p["lodging_type_display"]),
            ("状态", lambda p: p["status_display"]),
            ("最近核实日期", lambda p: _date(p["last_verified_on"])),
        ),
        "组织": spec(
            lambda o, user, unmasked: present_organization(o, user=user, unmasked=unmasked),
            ("网格编码", lambda o: o["grid_code"]),
            ("名称", lambda o: o["name"]),
            ("类别", lambda o: o["kind_display"]),
            ("统一社会信用代码", lambda o: o["uscc"]),
            ("地址", lambda o: o["address"]),
            ("联系人", lambda o: o["contact_name"]),
            ("联系电话", lambda o: o["contact_phone"]),
            ("从业人数", lambda o: o["staff_count"] if o["staff_count"] is not None else ""),
        ),
    }


def ledger_querysets(grid: Grid, user: Any) -> dict[str, QuerySet[Any]]:
    """The current rows of one grid that ``user`` reads, per sheet, each a single query
    (related rows joined). Starting from ``visible_to`` means a role that does not read
    ledgers gets empty sheets even if a view forgot to refuse it."""
    code = grid.code
    return {
        "楼栋": Building.objects.visible_to(user)
        .current()
        .filter(grid_code=code)
        .order_by("address"),
        "房屋": Dwelling.objects.visible_to(user)
        .current()
        .filter(grid_code=code)
        .select_related("building")
        .order_by("building__address", "unit", "floor", "room"),
        "住户": Household.objects.visible_to(user)
        .current()
        .filter(grid_code=code)
        .select_related("dwelling__building", "head")
        .order_by("dwelling__building__address", "dwelling__unit", "dwelling__room", "number"),
        "人员": Person.objects.visible_to(user)
        .current()
        .filter(grid_code=code)
        .select_related("household")
        .order_by("household__number", "name", "pk"),
        "组织": Organization.objects.visible_to(user)
        .current()
        .filter(grid_code=code)
        .order_by("name"),
    }


@dataclass
class LedgerFile:
    content: bytes
    rows: dict[str, int]  # sheet name → data rows written

    @property
    def total(self) -> int:
        return sum(self.rows.values())


@translation.override("zh-hans")
def ledger_xlsx(grid: Grid, *, user: Any, unmasked: bool = False) -> LedgerFile:
    """A grid's ledger as ``user`` may read it, one sheet per kind, streamed row by row
    (write-only workbook), in Chinese so that a sheet can be filed, printed or copied into an
    import file. The caller audits it (``audit_bulk_output``) with the row counts."""
    workbook = Workbook(write_only=True)
    querysets = ledger_querysets(grid, user)
    rows: dict[str, int] = {}
    for name, (present, headers, getters) in _sheet_spec().items():
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        sheet.append(safe_row(headers))
        count = 0
        for obj in querysets[name].iterator(chunk_size=2000):
            shown = present(obj, user, unmasked)
            sheet.append(safe_row(cell_text(getter(shown)) for getter in getters))
            count += 1
        rows[name] = count
    return LedgerFile(_save(workbook), rows)


def audit_bulk_output(
    *,
    actor: Any,
    grid: Grid,
    action: str,
    rows: dict[str, int],
    unmasked: bool,
    request: HttpRequest | None = None,
    note: str = "",
) -> None:
    """One audit entry per bulk output of personal data (an export, a printed page): who,
    which grid, how many rows of each kind, masked or not. Masked output is audited too:
    a masked ledger still lists every resident's name, birth date and family (rule 3)."""
    counts = ",".join(f"{name} {count}" for name, count in rows.items())
    reason = "{}:共 {} 行({}){}".format(
        "未脱敏" if unmasked else "脱敏",
        sum(rows.values()),
        counts,
        f";{note}" if note else "",
    )
    audit_record(
        actor=actor,
        action=action,
        target=grid,
        field="id_number,phone,address" if unmasked else "ledger",
        reason=reason,
        request=request,
    )


def ledger_filename(grid: Grid, *, unmasked: bool = False) -> str:
    suffix = "(含完整信息)" if unmasked else ""
    return f"{grid.name}台账{suffix}.xlsx"


# ---------------------------------------------------------------------------- printable ledger


# A printout is never unmasked: every entity reaches the page through its presenter, masked.


@dataclass
class PrintedDwelling:
    dwelling: dict[str, Any]
    households: list[dict[str, Any]] = field(default_factory=list)
    residents: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PrintedBuilding:
    building: dict[str, Any]
    dwellings: list[PrintedDwelling] = field(default_factory=list)


def printed_buildings(buildings: Iterable[Building], user: Any) -> Iterator[PrintedBuilding]:
    """Buildings with their dwellings, households and (masked) residents that ``user`` reads,
    in four queries whatever the number of buildings on the page."""
    buildings = list(buildings)
    dwellings = (
        Dwelling.objects.visible_to(user)
        .current()
        .filter(building__in=buildings)
        .order_by("unit", "floor", "room")
        .prefetch_related(
            Prefetch(
                "households",
                queryset=Household.objects.visible_to(user)
                .current()
                .select_related("head")
                .order_by("number"),
            ),
            Prefetch(
                "residents",
                queryset=Person.objects.visible_to(user)
                .current()
                .select_related("household__head")
                .order_by("household__number", "name"),
            ),
        )
    )
    by_building: dict[int, list[PrintedDwelling]] = {}
    for dwelling in dwellings:
        by_building.setdefault(dwelling.building_id, []).append(
            PrintedDwelling(
                present_dwelling(dwelling, user=user),
                [present_household(h, user=user) for h in dwelling.households.all()],
                printed_people(dwelling.residents.all(), user),
            )
        )
    for building in buildings:
        yield PrintedBuilding(
            present_building(building, user=user), by_building.get(building.pk, [])
        )


def printed_counts(
    buildings: list[PrintedBuilding], unhoused: list[dict[str, Any]]
) -> dict[str, int]:
    """Rows on one printed page, per kind, for its audit entry."""
    dwellings = [d for b in buildings for d in b.dwellings]
    return {
        "楼栋": len(buildings),
        "房屋": len(dwellings),
        "住户": sum(len(d.households) for d in dwellings),
        "人员": sum(len(d.residents) for d in dwellings) + len(unhoused),
    }


def ledger_export(*, actor: Any, grid: Grid, request: HttpRequest | None = None) -> LedgerFile:
    """The masked ledger of ``grid`` as ``actor`` reads it, audited with its row counts."""
    ledger = ledger_xlsx(grid, user=actor)
    audit_bulk_output(
        actor=actor,
        grid=grid,
        action=EXPORT_ACTION,
        rows=ledger.rows,
        unmasked=False,
        request=request,
    )
    return ledger


# Audit action codes of bulk output (labels: core.audit.ACTION_LABELS).
EXPORT_ACTION = "ledger_export"
PRINT_ACTION = "ledger_print"


def ledger_export_unmasked(
    *, actor: Any, grid: Grid, reason: str, request: HttpRequest | None = None
) -> LedgerFile:
    """The ledger with full ID numbers, phones and addresses, for a stated reason that goes
    to the audit trail (who, which grid, why, when, from where). A refusal is audited too.
    Two entries: the disclosure (permission and reason, before anything is read) and the
    output itself with its row counts."""
    disclosure_authorize(
        actor=actor,
        target=grid,
        action="export_unmasked",
        field="ledger",
        reason=reason,
        request=request,
        reason_message=_("请填写导出事由(至少%(n)d个字)"),
    )
    ledger = ledger_xlsx(grid, user=actor, unmasked=True)
    audit_bulk_output(
        actor=actor,
        grid=grid,
        action=EXPORT_ACTION,
        rows=ledger.rows,
        unmasked=True,
        request=request,
    )
    return ledger


def printed_people(people: Iterable[Person], user: Any) -> list[dict[str, Any]]:
    """People as the presenter shows them (ID number, phone, address masked), with the name
    of their household's head when the query loaded it."""
    printed = []
    for person in people:
        shown = present_person(person, user=user)
        household = person.household if person.household_id else None
        head = household.head if household is not None and household.head_id else None
        shown["household_head_name"] = head.name if head is not None else ""
        printed.append(shown)
    return printed
