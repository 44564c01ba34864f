"""Shared fixtures for ``make bench``: large data built directly, and a throughput report.

Benchmarks record their headline figure with ``report_throughput``; it is printed at the end
of the run (pytest-benchmark's table shows seconds per round, not points per second)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from shapely.geometry import box

from civicgrid.geo.geometry import to_geojson
from civicgrid.geo.index import bump_version, reset_index
from civicgrid.geo.models import Grid, Region

_THROUGHPUT: list[str] = []

# Bounds of the synthetic tiling, around Guiyang.
WEST, SOUTH, EAST, NORTH = 106.50, 26.40, 106.90, 26.70


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _THROUGHPUT:
        terminalreporter.section("throughput")
        for line in _THROUGHPUT:
            terminalreporter.write_line(line)


@pytest.fixture
def report_throughput(benchmark: Any) -> Callable[[str, float, str], None]:
    def report(label: str, value: float, unit: str) -> None:
        benchmark.extra_info[unit] = round(value, 2)
        # Ratios and other small figures keep two significant decimals.
        shown = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
        _THROUGHPUT.append(f"{label}: {shown} {unit}")

    return report


def tile_grids(
    rows: int, cols: int, *, per_community: int = 200, per_street: int = 50
) -> list[Grid]:
    """``rows × cols`` rectangular grids over the bounds, ``per_community`` to a community
    (serials stay under 999) and ``per_street`` communities to a street, written with bulk
    inserts rather than the import service to keep setup quick."""
    city = Region.objects.create(code="5201", name="贵阳市", short_name="贵阳市", level="city")
    district = Region.objects.create(
        code="520102", name="南明区", short_name="南明区", level="district", parent=city
    )
    total = rows * cols
    n_communities = -(-total // per_community)
    n_streets = -(-n_communities // per_street)
    streets = Region.objects.bulk_create(
        Region(
            code=f"520102{s + 1:03d}",
            name=f"第{s + 1}街道办事处",
            short_name=f"第{s + 1}街道",
            level="street",
            parent=district,
        )
        for s in range(n_streets)
    )
    communities = Region.objects.bulk_create(
        Region(
            code=f"{streets[c // per_street].code}{c % per_street + 1:03d}",
            name=f"第{c + 1}社区居委会",
            short_name=f"第{c + 1}社区",
            level="community",
            parent=streets[c // per_street],
        )
        for c in range(n_communities)
    )
    dx, dy = (EAST - WEST) / cols, (NORTH - SOUTH) / rows
    grids = []
    for index in range(total):
        r, c = divmod(index, cols)
        community = communities[index // per_community]
        serial = index % per_community + 1
        cell = box(WEST + c * dx, NORTH - (r + 1) * dy, WEST + (c + 1) * dx, NORTH - r * dy)
        grids.append(
            Grid(
                code=f"{community.code}{serial:03d}",
                name=f"{community.short_name}{serial}号网格",
                community=community,
                geometry=to_geojson(cell),
                area_m2=0,
                valid_from=date(2025, 1, 1),
            )
        )
    Grid.objects.bulk_create(grids, batch_size=2000)
    bump_version()
    reset_index()
    return grids


def division_rows(prefix: str, rows: int) -> str:
    """A national-list style CSV of about ``rows`` rows for a city with code ``prefix`` (4)."""
    lines = ["统计用区划代码,名称", f"{prefix}00000000,第{prefix}市"]
    district = street = 0
    while len(lines) < rows + 1:
        district += 1
        d = f"{prefix}{district:02d}"
        lines.append(f"{d}000000,第{district}区")
        for street in range(1, 11):
            s = f"{d}{street:03d}"
            lines.append(f"{s}000,第{street}街道办事处")
            lines.extend(f"{s}{c:03d},第{c}社区居委会" for c in range(1, 19))
    return "\n".join(lines[: rows + 1]) + "\n"
