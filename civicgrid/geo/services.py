"""Writes to regions and grids. Every grid change bumps the index version in the same
transaction so that locate never answers from a stale tree after commit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import shapely
import shapely.ops
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from shapely.geometry.base import BaseGeometry
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from civicgrid.core.audit import audit_record
from civicgrid.core.imports import ImportReport, csv_rows, read_text
from civicgrid.geo.choices import GRID_CODE_LENGTH, GridKind, Level
from civicgrid.geo.codes import CodeError, level_of, normalise_code, parent_code, short_name
from civicgrid.geo.geometry import area_m2, to_geojson, to_shape, validity_problem
from civicgrid.geo.hooks import relocate_after_adjustment
from civicgrid.geo.index import bump_version
from civicgrid.geo.models import Grid, Region


class GridAdjustmentError(ValueError):
    """A grid change that cannot be made; the message is shown to the user as is."""


# Provinces and cities may stand alone in a city's list; lower levels need their parent.
_ROOT_LENGTHS = {2, 4}


@dataclass
class _DivisionRow:
    line: int
    code: str
    name: str


def _columns(header: list[str]) -> tuple[int, int | None]:
    """(code column, name column) named by a header row such as ``统计用区划代码,名称`` or
    ``代码,名称,城乡分类代码``; the name column is None when the header does not say."""
    code_col, name_col = 0, None
    for index, cell in enumerate(header):
        label = cell.lower()
        if ("代码" in label or "code" in label) and "城乡" not in label and "分类" not in label:
            code_col = index
            break
    for index, cell in enumerate(header):
        if index != code_col and ("名称" in cell or "name" in cell.lower()):
            name_col = index
            break
    return code_col, name_col


def _name_cell(cells: list[str], code_col: int, name_col: int | None) -> str:
    if name_col is not None:
        return cells[name_col] if len(cells) > name_col else ""
    # Without a header the name is the first non-numeric cell after the code, which skips
    # the 3-digit urban-rural class (城乡分类代码) that national lists put between them.
    for cell in cells[code_col + 1 :]:
        if cell and not cell.isdigit():
            return cell
    return ""


def _parse_division_rows(text: str, report: ImportReport) -> dict[str, _DivisionRow]:
    rows: dict[str, _DivisionRow] = {}
    code_col, name_col = 0, None
    for line, cells in csv_rows(text):
        if len(cells) == 1 and len(cells[0].split()) > 1:
            cells = cells[0].split()  # "520102 南明区" pasted from a web page
        raw_code = "".join(cells[code_col].split()) if len(cells) > code_col else ""
        # Spreadsheets save numeric codes as "520102001001.0".
        raw_code = raw_code.removesuffix(".0")
        if not rows and not report.errors and not any(ch.isdigit() for ch in raw_code):
            code_col, name_col = _columns(cells)  # header row(s) before the first data row
            continue
        name = _name_cell(cells, code_col, name_col)
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


def _regions_by_code(codes: set[str]) -> dict[str, Region]:
    # Chunked so a whole province's list stays under every backend's bound-parameter limit.
    found: dict[str, Region] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), 900):
        chunk = ordered[start : start + 900]
        found.update((r.code, r) for r in Region.objects.filter(code__in=chunk))
    return found


@transaction.atomic
def import_divisions(path: Path | str) -> ImportReport:
    """Create or update regions from a ``code,name`` CSV. Idempotent; bad rows reported."""
    report = ImportReport()
    rows = _parse_division_rows(read_text(path), report)
    existing = _regions_by_code(set(rows))
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
        report.tally[level_of(row.code)] += 1

    to_update: list[Region] = []
    for length in (2, 4, 6, 9, 12):
        level_rows = [r for r in accepted if len(r.code) == length]
        if not level_rows:
            continue
        parents = _regions_by_code({p for r in level_rows if (p := parent_code(r.code))})
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


# --- Grids -------------------------------------------------------------------------------

_KINDS = {
    "综合": GridKind.COMPREHENSIVE,
    "综合网格": GridKind.COMPREHENSIVE,
    "comprehensive": GridKind.COMPREHENSIVE,
    "专属": GridKind.DEDICATED,
    "专属网格": GridKind.DEDICATED,
    "dedicated": GridKind.DEDICATED,
}


@dataclass
class _GridFeature:
    number: int
    community: Region
    name: str
    kind: str
    valid_from: date
    geom: BaseGeometry
    code: str = ""  # empty until a serial is generated


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _feature_geometry(raw: Any, number: int, report: ImportReport) -> BaseGeometry | None:
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        kind = raw.get("type") if isinstance(raw, dict) else raw
        report.error(number, "geometry", _text(kind), "范围必须是 Polygon 或 MultiPolygon")
        return None
    try:
        geom = to_shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        report.error(number, "geometry", raw["type"], f"坐标格式错误:{exc}")
        return None
    coords = shapely.get_coordinates(geom)
    if geom.is_empty or not len(coords):
        report.error(number, "geometry", raw["type"], "范围为空")
        return None
    lngs, lats = coords[:, 0], coords[:, 1]
    if (abs(lngs) > 180).any() or (abs(lats) > 90).any():
        report.error(
            number, "geometry", raw["type"], "坐标超出经纬度范围(经度 -180~180,纬度 -90~90)"
        )
        return None
    return geom


def _parse_grid_feature(
    number: int, feature: Any, communities: dict[str, Region], report: ImportReport
) -> _GridFeature | None:
    if not isinstance(feature, dict):
        feature = {}
    props = feature.get("properties") or {}
    code = _text(props.get("code"))
    community_code = _text(props.get("community_code"))
    serial = _text(props.get("serial"))
    name = _text(props.get("name"))
    kind_raw = _text(props.get("kind") or props.get("type")) or "综合"
    errors_before = len(report.errors)

    if code:
        if not (code.isascii() and code.isdigit() and len(code) == GRID_CODE_LENGTH):
            report.error(number, "code", code, "网格编码应为 15 位数字(社区代码 + 3 位序号)")
        elif community_code and community_code != code[:12]:
            report.error(
                number, "community_code", community_code, f"与网格编码 {code} 的所属社区不一致"
            )
        community_code = code[:12]
    elif community_code:
        if serial:
            if not serial.isdigit() or not 1 <= int(serial) <= 999:
                report.error(number, "serial", serial, "网格序号应为 1-999 的整数")
            else:
                code = f"{community_code}{int(serial):03d}"
    else:
        report.error(number, "code", "", "需要 code(15 位网格编码)或 community_code(社区代码)")
    community = communities.get(community_code)
    if community_code and community is None and len(report.errors) == errors_before:
        report.error(number, "community_code", community_code, "社区不存在(请先导入区划)")
    if not name:
        report.error(number, "name", "", "网格名称不能为空")
    kind = _KINDS.get(kind_raw)
    if kind is None:
        report.error(number, "kind", kind_raw, "类型应为 综合 或 专属")
    valid_from = timezone.localdate()
    if props.get("valid_from"):
        try:
            valid_from = date.fromisoformat(_text(props["valid_from"]))
        except ValueError:
            report.error(
                number, "valid_from", _text(props["valid_from"]), "日期格式应为 YYYY-MM-DD"
            )
    geom = _feature_geometry(feature.get("geometry"), number, report)
    if len(report.errors) != errors_before or community is None or geom is None or kind is None:
        return None
    reason = validity_problem(geom)
    if reason:
        # Kept as drawn so the coverage check lists it; repairing it here would hide the error.
        report.warn(number, "geometry", geom.geom_type, f"范围自相交或无效:{reason}")
    return _GridFeature(number, community, name, kind, valid_from, geom, code)


def _reading_order(features: list[_GridFeature]) -> list[_GridFeature]:
    """North→south in rows, west→east within a row, by representative point. A new row
    starts when a point lies more than half a typical grid height below the row's first."""
    if not features:
        return []
    points = [(f, f.geom.representative_point()) for f in features]
    heights = sorted(f.geom.bounds[3] - f.geom.bounds[1] for f in features)
    tolerance = heights[len(heights) // 2] / 2
    points.sort(key=lambda fp: (-fp[1].y, fp[1].x))
    rows: list[list[tuple[_GridFeature, Any]]] = []
    for item in points:
        if rows and rows[-1][0][1].y - item[1].y <= tolerance:
            rows[-1].append(item)
        else:
            rows.append([item])
    return [f for row in rows for f, _ in sorted(row, key=lambda fp: fp[1].x)]


def next_serials(community_code: str, count: int, taken: set[str] | None = None) -> list[str]:
    """``count`` unused grid codes in a community, after every serial ever used there
    (retired grids keep their codes, so numbers are never reused)."""
    codes = set(
        Grid.objects.filter(code__startswith=community_code).values_list("code", flat=True)
    ) | (taken or set())
    last = max((int(c[12:]) for c in codes if c.startswith(community_code)), default=0)
    if last + count > 999:
        raise GridAdjustmentError(f"社区 {community_code} 的网格序号已用尽(最多 999 个)")
    return [f"{community_code}{last + i:03d}" for i in range(1, count + 1)]


@transaction.atomic
def import_grids(path: Path | str) -> ImportReport:
    """Create or update grids from a GeoJSON FeatureCollection (see ``import_grids --help``).

    A feature is matched by its code, or, without one, by its name inside its community, so
    re-importing the same file changes nothing."""
    report = ImportReport(unit="个要素")
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        report.error(0, "file", "", f"不是有效的 JSON(第 {exc.lineno} 行):{exc.msg}")
        return report
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        report.error(
            0,
            "type",
            _text(data.get("type") if isinstance(data, dict) else ""),
            "文件必须是 GeoJSON FeatureCollection",
        )
        return report
    features = data.get("features") or []
    wanted = set()
    for feature in features:
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        wanted.add(_text(props.get("community_code")) or _text(props.get("code"))[:12])
    communities = {r.code: r for r in Region.objects.filter(code__in=wanted, level=Level.COMMUNITY)}
    parsed: list[_GridFeature] = []
    seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        item = _parse_grid_feature(number, feature, communities, report)
        if item is None:
            continue
        if item.code:
            if item.code in seen:
                report.error(number, "code", item.code, f"与第 {seen[item.code]} 个要素编码重复")
                continue
            seen[item.code] = number
        parsed.append(item)

    existing = {
        g.code: g
        for g in Grid.objects.filter(community__in=list(communities.values())).order_by("code")
    }
    by_name = {(g.community_id, g.name): g for g in existing.values() if g.is_current}
    unnumbered: dict[str, list[_GridFeature]] = {}
    for item in parsed:
        if not item.code:
            match = by_name.get((item.community.pk, item.name))
            if match is not None:
                item.code = match.code
            else:
                unnumbered.setdefault(item.community.code, []).append(item)
    for community_code, items in unnumbered.items():
        try:
            codes = next_serials(community_code, len(items), set(seen))
        except GridAdjustmentError as exc:
            for item in items:
                report.error(item.number, "community_code", community_code, str(exc))
            parsed = [p for p in parsed if p not in items]
            continue
        for item, code in zip(_reading_order(items), codes, strict=True):
            item.code = code

    new: list[Grid] = []
    changed: list[Grid] = []
    for item in parsed:
        # Through JSON so that tuples compare equal to the lists read back from the database.
        geometry = json.loads(json.dumps(to_geojson(item.geom, precision=0)))
        grid = existing.get(item.code)
        if grid is None:
            new.append(
                Grid(
                    code=item.code,
                    name=item.name,
                    community=item.community,
                    kind=item.kind,
                    geometry=geometry,
                    area_m2=area_m2(item.geom),
                    valid_from=item.valid_from,
                )
            )
        elif not grid.is_current:
            report.error(
                item.number, "code", item.code, f"该网格已于 {grid.retired_on} 停用,不能再导入"
            )
        elif (grid.name, grid.kind, grid.geometry) != (item.name, item.kind, geometry):
            grid.name, grid.kind, grid.geometry = item.name, item.kind, geometry
            grid.area_m2 = area_m2(item.geom)
            changed.append(grid)
        else:
            report.unchanged += 1
    if new:
        bulk_create_with_history(new, Grid, batch_size=1000)
        report.created = len(new)
    if changed:
        bulk_update_with_history(
            changed, Grid, ["name", "kind", "geometry", "area_m2"], batch_size=1000
        )
        report.updated = len(changed)
    if new or changed:
        bump_version()
    return report


@transaction.atomic
def import_boundaries(path: Path | str) -> ImportReport:
    """Set region boundaries (a community's is what gap detection measures against) from a
    GeoJSON FeatureCollection whose features carry ``code``. Invalid polygons are refused
    here: a boundary is the yardstick, not something the coverage check should report."""
    report = ImportReport(unit="个要素")
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        report.error(0, "file", "", f"不是有效的 JSON(第 {exc.lineno} 行):{exc.msg}")
        return report
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        report.error(0, "type", "", "文件必须是 GeoJSON FeatureCollection")
        return report
    codes = {
        _text((f.get("properties") or {}).get("code")) for f in features if isinstance(f, dict)
    }
    regions = _regions_by_code(codes)
    changed: list[Region] = []
    for number, feature in enumerate(features, start=1):
        feature = feature if isinstance(feature, dict) else {}
        code = _text((feature.get("properties") or {}).get("code"))
        region = regions.get(code)
        if region is None:
            report.error(number, "code", code, "区划不存在(请先导入区划)")
            continue
        geom = _feature_geometry(feature.get("geometry"), number, report)
        if geom is None:
            continue
        if reason := validity_problem(geom):
            report.error(number, "geometry", geom.geom_type, f"边界无效:{reason}")
            continue
        boundary = json.loads(json.dumps(to_geojson(geom, precision=0)))
        if region.boundary == boundary:
            report.unchanged += 1
        else:
            region.boundary = boundary
            changed.append(region)
    if changed:
        bulk_update_with_history(changed, Region, ["boundary"], batch_size=500)
        report.updated = len(changed)
    return report


# --- Dynamic adjustment (动态调整) ---------------------------------------------------------

# A piece smaller than this is a slip of the mouse, not a new grid.
MIN_PIECE_M2 = 1.0
# A vertex closer than this to the line through its neighbours (about 0.1 mm) adds nothing.
MERGE_COLLINEAR_DEG = 1e-9


# A cutter is drawn by hand or pasted: a few hundred points at most. The cap keeps a pasted
# file from tying up a worker in shapely (the request body is capped too, see geo.api).
MAX_CUTTER_POINTS = 5000
GRID_NAME_MAX = Grid._meta.get_field("name").max_length or 100
_CUTTER_TYPES = ("LineString", "MultiLineString", "Polygon", "MultiPolygon")
# How deep each type nests its positions: a LineString is a list of positions, and so on.
_POSITION_DEPTH = {"LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def _positions(value: Any, depth: int, counted: list[int]) -> None:
    """Check a GeoJSON coordinates array of the given depth: every position two finite numbers
    with longitude in -180..180 and latitude in -90..90."""
    if not isinstance(value, list | tuple):
        raise GridAdjustmentError("坐标(coordinates)的层次结构不符合该几何类型")
    if depth == 0:
        if len(value) not in (2, 3) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value
        ):
            raise GridAdjustmentError("每个坐标应为 [经度, 纬度] 两个数字")
        lng, lat = value[0], value[1]
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):  # NaN fails both comparisons
            raise GridAdjustmentError(
                f"坐标超出范围:经度应在 -180~180、纬度应在 -90~90 之间(收到 {lng}, {lat})"
            )
        counted[0] += 1
        if counted[0] > MAX_CUTTER_POINTS:
            raise GridAdjustmentError(f"切割线的坐标点过多(上限 {MAX_CUTTER_POINTS} 个)")
        return
    for item in value:
        _positions(item, depth - 1, counted)


def _check_line(line: Sequence[Sequence[float]]) -> None:
    if len({tuple(p[:2]) for p in line}) < 2:
        raise GridAdjustmentError("切割线至少需要两个不同的点")


def _check_ring(ring: Sequence[Sequence[float]]) -> None:
    if len(ring) < 4:
        raise GridAdjustmentError("切出范围的每个环至少需要 4 个坐标(首尾相同)")
    if tuple(ring[0][:2]) != tuple(ring[-1][:2]):
        # shapely would close the ring silently and cut out a shape nobody drew.
        raise GridAdjustmentError("切出范围的环没有闭合:首尾两个坐标必须相同")


def _cutter_shape(cutter: dict[str, Any] | BaseGeometry) -> BaseGeometry:
    """The cutter as a shapely geometry, or ``GridAdjustmentError`` with a Chinese reason: it
    must be a GeoJSON LineString or Polygon (or their Multi forms, or a Feature holding one),
    with positions on the globe, lines of two points or more that do not cross themselves and
    closed, valid rings."""
    if isinstance(cutter, BaseGeometry):
        return cutter
    if isinstance(cutter, dict) and cutter.get("type") == "Feature":
        cutter = cutter.get("geometry") or {}
    if not isinstance(cutter, dict):
        raise GridAdjustmentError("切割线应为一个 GeoJSON 几何对象")
    kind = cutter.get("type")
    if kind not in _CUTTER_TYPES:
        raise GridAdjustmentError(
            f"切割线应为 LineString(线)或 Polygon(面),收到的类型是 {str(kind)[:40]}"
        )
    coordinates = cutter.get("coordinates")
    _positions(coordinates, _POSITION_DEPTH[kind], [0])
    assert isinstance(coordinates, list | tuple)
    if kind == "LineString":
        _check_line(coordinates)
    elif kind == "MultiLineString":
        if not coordinates:
            raise GridAdjustmentError("切割线不能为空")
        for line in coordinates:
            _check_line(line)
    else:
        polygons = coordinates if kind == "MultiPolygon" else [coordinates]
        if not polygons or not all(polygons):
            raise GridAdjustmentError("切出范围不能为空")
        for polygon in polygons:
            for ring in polygon:
                _check_ring(ring)
    try:
        shape = to_shape(cutter)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise GridAdjustmentError("切割线格式错误,无法识别为线或面") from exc
    if kind in ("LineString", "MultiLineString") and not shape.is_simple:
        raise GridAdjustmentError("切割线不能自相交(交叉或折回),请重新画一条不交叉的线")
    if kind in ("Polygon", "MultiPolygon") and not shapely.is_valid(shape):
        raise GridAdjustmentError("切出范围无效(边自相交或环重叠),请重新画")
    return shape


def _pieces(geom: BaseGeometry, cutter: BaseGeometry) -> list[BaseGeometry]:
    if cutter.geom_type in ("Polygon", "MultiPolygon"):
        parts = [shapely.intersection(geom, cutter), shapely.difference(geom, cutter)]
    else:
        parts = list(shapely.ops.split(geom, shapely.line_merge(cutter)).geoms)
    return [
        p
        for p in parts
        if p.geom_type in ("Polygon", "MultiPolygon") and area_m2(p) >= MIN_PIECE_M2
    ]


def _current_grid(grid: Grid) -> Grid:
    locked = Grid.objects.select_for_update().select_related("community").get(pk=grid.pk)
    if not locked.is_current:
        raise GridAdjustmentError(f"网格 {locked.code} 已于 {locked.retired_on} 停用,不能再调整")
    return locked


def _replace(
    *,
    old: list[Grid],
    shapes: list[BaseGeometry],
    names: list[str],
    actor: Any,
    on: date,
    action: str,
    precision: int = 7,
    request: HttpRequest | None = None,
) -> list[Grid]:
    """Retire ``old`` and create one grid per shape, linked as successors of every old grid."""
    for grid in old:
        if on < grid.valid_from:
            # A grid retired before it began would leave a gap in its own history.
            raise GridAdjustmentError(
                f"调整日期 {on} 早于网格 {grid.code} 的启用日期 {grid.valid_from}"
            )
    for name in names:
        if not name.strip():
            raise GridAdjustmentError("网格名称不能为空")
        if len(name) > GRID_NAME_MAX:
            raise GridAdjustmentError(f"网格名称最长 {GRID_NAME_MAX} 个字(“{name[:20]}…”)")
    # Two adjustments in one community at once would pick the same next serials: the
    # community row is the lock that orders them (a no-op on SQLite, which has one writer).
    community = Region.objects.select_for_update().get(pk=old[0].community_id)
    codes = next_serials(community.code, len(shapes))
    new = [
        Grid(
            code=code,
            name=name,
            community=community,
            kind=old[0].kind,
            geometry=to_geojson(shape, precision=precision),
            area_m2=area_m2(shape),
            valid_from=on,
        )
        for code, name, shape in zip(codes, names, shapes, strict=True)
    ]
    bulk_create_with_history(new, Grid)
    new = list(Grid.objects.filter(code__in=codes).order_by("code"))
    for grid in old:
        grid.retired_on = on
    bulk_update_with_history(old, Grid, ["retired_on"])
    Through = Grid.predecessors.through
    Through.objects.bulk_create(
        [Through(from_grid_id=n.pk, to_grid_id=o.pk) for n in new for o in old]
    )
    _move_grid_workers(old, new, on)
    bump_version()
    relocate_after_adjustment(old, new)
    for grid in old:
        audit_record(
            actor=actor,
            action=action,
            target=grid,
            reason=f"{grid.code} → {'、'.join(codes)}",
            request=request,
        )
    return new


def _move_grid_workers(old: list[Grid], new: list[Grid], on: date) -> None:
    """A worker of a retired grid keeps working the same ground: they are assigned to every
    successor (the command centre can narrow that down afterwards)."""
    from civicgrid.accounts.models import Scope

    scopes = list(Scope.objects.filter(code__in=[g.code for g in old], retired_on__isnull=True))
    if not scopes:
        return
    Scope.objects.filter(pk__in=[s.pk for s in scopes]).update(retired_on=on)
    users = sorted({s.user_id for s in scopes})
    Scope.objects.bulk_create([Scope(user_id=u, code=g.code) for u in users for g in new])


@transaction.atomic
def grid_split(
    *,
    grid: Grid,
    cutter: dict[str, Any] | BaseGeometry,
    actor: Any,
    on: date | None = None,
    names: list[str] | None = None,
    request: HttpRequest | None = None,
) -> list[Grid]:
    """Split a current grid along a line (or cut out a polygon) into new grids.

    The pieces are the exact parts of the old geometry, so the community stays covered."""
    grid = _current_grid(grid)
    geom = to_shape(grid.geometry)
    if validity_problem(geom):
        raise GridAdjustmentError(f"网格 {grid.code} 的范围无效,请先修正范围再拆分")
    pieces = _pieces(geom, _cutter_shape(cutter))
    if len(pieces) < 2:
        raise GridAdjustmentError("切割线(或切割范围)没有把网格分成两块以上,请让它完整穿过网格")
    pieces.sort(key=lambda p: (-round(p.representative_point().y, 6), p.representative_point().x))
    if names and len(names) != len(pieces):
        raise GridAdjustmentError(f"拆分得到 {len(pieces)} 块,但给出了 {len(names)} 个名称")
    names = names or [f"{grid.name[: GRID_NAME_MAX - 8]}(拆{i})" for i in range(1, len(pieces) + 1)]
    return _replace(
        old=[grid],
        shapes=pieces,
        names=names,
        actor=actor,
        on=on or timezone.localdate(),
        action="grid_split",
        # Where the line crosses a slanted edge, rounding the crossing to 7 decimals would move
        # it off the edge and open a sliver against the neighbour: keep it exact.
        precision=0,
        request=request,
    )


@transaction.atomic
def grid_merge(
    *,
    grids: list[Grid],
    actor: Any,
    on: date | None = None,
    name: str = "",
    request: HttpRequest | None = None,
) -> Grid:
    """Merge adjacent current grids of one community into one new grid."""
    if len({g.pk for g in grids}) < 2:
        raise GridAdjustmentError("合并至少需要两个不同的网格")
    locked = [_current_grid(g) for g in sorted(grids, key=lambda g: g.code)]
    if len({g.community_id for g in locked}) > 1:
        raise GridAdjustmentError("只能合并同一社区内的网格")
    shapes = [to_shape(g.geometry) for g in locked]
    for grid, shape in zip(locked, shapes, strict=True):
        if validity_problem(shape):
            raise GridAdjustmentError(f"网格 {grid.code} 的范围无效,请先修正范围再合并")
    # The crossings a split left on the outer edge are now redundant, collinear vertices;
    # dropping them (nothing else moves) gives back the grid as it was before the split.
    merged = shapely.simplify(shapely.union_all(shapes), MERGE_COLLINEAR_DEG)
    if merged.geom_type != "Polygon":
        raise GridAdjustmentError("所选网格互不相邻(没有公共边),不能合并")
    new = _replace(
        old=locked,
        shapes=[merged],
        names=[name or f"{locked[0].name[: GRID_NAME_MAX - 4]}(合并)"],
        actor=actor,
        on=on or timezone.localdate(),
        action="grid_merge",
        request=request,
    )
    return new[0]
