"""Writes to regions and grids. Every grid change bumps the index version in the same
transaction so that locate never answers from a stale tree after commit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from civicgrid.core.imports import ImportReport, csv_rows, read_text
from civicgrid.geo.codes import CodeError, level_of, normalise_code, parent_code, short_name
from civicgrid.geo.models import Region

# Provinces and cities may stand alone in a city's list; lower levels need their parent.
_ROOT_LENGTHS = {2, 4}


@dataclass
class _DivisionRow:
    line: int
    code: str
    name: str


def _parse_division_rows(text: str, report: ImportReport) -> dict[str, _DivisionRow]:
    rows: dict[str, _DivisionRow] = {}
    for line, cells in csv_rows(text):
        raw_code = cells[0] if cells else ""
        name = cells[1] if len(cells) > 1 else ""
        if line == 1 and not raw_code.strip().isdigit():
            continue  # header row
        try:
            code = normalise_code(raw_code)
        except CodeError as exc:
            report.error(line, "code", raw_code, str(exc))
            continue
        if not name:
            report.error(line, "name", name, "名称不能为空")
            continue
        seen = rows.get(code)
        if seen is not None:
            if seen.name != name:
                report.error(
                    line, "code", raw_code, f"与第 {seen.line} 行代码相同但名称不同({seen.name})"
                )
            continue
        rows[code] = _DivisionRow(line, code, name)
    return rows


@transaction.atomic
def import_divisions(path: Path | str) -> ImportReport:
    """Create or update regions from a ``code,name`` CSV. Idempotent; bad rows reported."""
    report = ImportReport()
    rows = _parse_division_rows(read_text(path), report)
    existing = {r.code: r for r in Region.objects.filter(code__in=list(rows))}
    known_codes = set(Region.objects.values_list("code", flat=True))

    # Parents must exist in the file or the database; a bad parent row orphans its children.
    accepted: list[_DivisionRow] = []
    for row in sorted(rows.values(), key=lambda r: (len(r.code), r.code)):
        parent = parent_code(row.code)
        if len(row.code) not in _ROOT_LENGTHS and parent is not None:
            if parent not in known_codes:
                report.error(row.line, "code", row.code, f"上级区划 {parent} 不存在")
                continue
        known_codes.add(row.code)
        accepted.append(row)

    to_update: list[Region] = []
    for length in (2, 4, 6, 9, 12):
        level_rows = [r for r in accepted if len(r.code) == length]
        if not level_rows:
            continue
        parents = {
            r.code: r
            for r in Region.objects.filter(
                code__in={parent_code(r.code) for r in level_rows if parent_code(r.code)}
            )
        }
        new: list[Region] = []
        for row in level_rows:
            pcode = parent_code(row.code)
            parent_region = parents.get(pcode) if pcode else None
            region = existing.get(row.code)
            if region is None:
                new.append(
                    Region(
                        code=row.code,
                        name=row.name,
                        short_name=short_name(row.name),
                        level=level_of(row.code),
                        parent=parent_region,
                    )
                )
            elif region.name != row.name or region.parent_id != (
                parent_region.pk if parent_region else None
            ):
                region.name = row.name
                region.short_name = short_name(row.name)
                region.parent = parent_region
                to_update.append(region)
            else:
                report.unchanged += 1
        if new:
            bulk_create_with_history(new, Region, batch_size=1000)
            report.created += len(new)
    if to_update:
        bulk_update_with_history(
            to_update, Region, ["name", "short_name", "parent"], batch_size=1000
        )
        report.updated += len(to_update)
    return report
