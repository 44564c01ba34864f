"""The synthetic demo city: real-format Guiyang division codes, community polygons and grids
that tile each community exactly. Deterministic for a given seed and size."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from shapely.geometry import Polygon

from civicgrid.geo.geometry import area_m2, to_geojson, to_shape
from civicgrid.geo.index import bump_version
from civicgrid.geo.models import Grid, Region

DISTRICTS = [("520102", "南明区"), ("520103", "云岩区"), ("520111", "花溪区"), ("520112", "乌当区")]
STREET_NAMES = [
    "新华路",
    "兴关路",
    "中华路",
    "威清路",
    "花果园",
    "中曹司",
    "沙冲路",
    "太慈桥",
    "市西路",
    "北京路",
    "黔灵东路",
    "延安路",
    "头桥",
    "贵乌路",
    "宝山",
    "普陀路",
    "金关",
    "三桥",
]
COMMUNITY_NAMES = [
    "多福巷",
    "富水南路",
    "箭道街",
    "南厂路",
    "雪涯路",
    "君子亭",
    "蔡家街",
    "黔灵西路",
    "东山",
    "毓秀里",
    "友谊路",
    "文笔街",
    "公园路",
    "省府路",
    "油榨街",
    "水口寺",
    "五里冲",
    "青云路",
    "遵义路",
    "瑞金南路",
    "宅吉",
    "盐务街",
    "紫林庵",
    "西湖路",
]


@dataclass(frozen=True)
class DemoSize:
    districts: int
    streets: int  # per district
    communities: int  # per street
    rows: int  # grid rows per community
    cols: int


SIZES = {
    "small": DemoSize(2, 2, 3, 2, 2),
    "medium": DemoSize(4, 4, 6, 3, 3),
    "large": DemoSize(4, 10, 25, 4, 5),  # 20,000 grids for benchmarks
}


@dataclass
class DemoCity:
    size: DemoSize
    rng: random.Random
    streets: list[Region] = field(default_factory=list)
    communities: list[Region] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    gap_community: str = ""


# Bounding box of the synthetic city around central Guiyang.
WEST, EAST, SOUTH, NORTH = 106.60, 106.80, 26.50, 26.66


def _split(lo: float, hi: float, n: int) -> list[tuple[float, float]]:
    step = (hi - lo) / n
    return [(lo + i * step, lo + (i + 1) * step) for i in range(n)]


def _community_name(rng_index: int) -> str:
    base = COMMUNITY_NAMES[rng_index % len(COMMUNITY_NAMES)]
    suffix = "" if rng_index < len(COMMUNITY_NAMES) else str(rng_index // len(COMMUNITY_NAMES) + 1)
    return f"{base}{suffix}社区居民委员会"


def _tile(bounds: tuple[float, float, float, float], rows: int, cols: int, rng: random.Random):
    """Quadrilaterals tiling ``bounds``: interior vertices jittered but shared, so the tiling
    has no gap or overlap. Yields (row, col, polygon) north→south, west→east."""
    west, south, east, north = bounds
    xs = [west + (east - west) * c / cols for c in range(cols + 1)]
    ys = [north - (north - south) * r / rows for r in range(rows + 1)]
    dx, dy = (east - west) / cols * 0.2, (north - south) / rows * 0.2
    vertex = {}
    for r in range(rows + 1):
        for c in range(cols + 1):
            jx = rng.uniform(-dx, dx) if 0 < c < cols else 0.0
            jy = rng.uniform(-dy, dy) if 0 < r < rows else 0.0
            vertex[r, c] = (round(xs[c] + jx, 7), round(ys[r] + jy, 7))
    for r in range(rows):
        for c in range(cols):
            ring = [vertex[r, c], vertex[r, c + 1], vertex[r + 1, c + 1], vertex[r + 1, c]]
            yield r, c, Polygon(ring)


def build_geo(*, size_name: str = "small", seed: int = 2026) -> DemoCity:
    size = SIZES[size_name]
    rng = random.Random(seed)
    city = DemoCity(size=size, rng=rng)
    province = Region.objects.create(
        code="52", name="贵州省", short_name="贵州省", level="province"
    )
    guiyang = Region.objects.create(
        code="5201", name="贵阳市", short_name="贵阳市", level="city", parent=province
    )
    street_counter = community_counter = 0
    new_grids: list[Grid] = []
    for (d_west, d_east), (d_code, d_name) in zip(
        _split(WEST, EAST, size.districts), DISTRICTS[: size.districts], strict=True
    ):
        district = Region.objects.create(
            code=d_code, name=d_name, short_name=d_name, level="district", parent=guiyang
        )
        for s_index, (s_south, s_north) in enumerate(_split(SOUTH, NORTH, size.streets)):
            s_name = STREET_NAMES[street_counter % len(STREET_NAMES)]
            street_counter += 1
            street = Region.objects.create(
                code=f"{d_code}{s_index + 1:03d}",
                name=f"{s_name}街道办事处",
                short_name=f"{s_name}街道",
                level="street",
                parent=district,
            )
            city.streets.append(street)
            for c_index, (c_west, c_east) in enumerate(_split(d_west, d_east, size.communities)):
                full = _community_name(community_counter)
                community_counter += 1
                bounds = (c_west, s_south, c_east, s_north)
                boundary = Polygon.from_bounds(*bounds)
                community = Region.objects.create(
                    code=f"{street.code}{c_index + 1:03d}",
                    name=full,
                    short_name=full.removesuffix("居民委员会"),
                    level="community",
                    parent=street,
                    boundary=to_geojson(boundary),
                )
                city.communities.append(community)
                for r, c, poly in _tile(bounds, size.rows, size.cols, rng):
                    serial = r * size.cols + c + 1
                    new_grids.append(
                        Grid(
                            code=f"{community.code}{serial:03d}",
                            name=f"{community.short_name.removesuffix('社区')}第{serial}网格",
                            community=community,
                            geometry=to_geojson(poly),
                            area_m2=area_m2(poly),
                            valid_from=date(2025, 1, 1),
                        )
                    )
    # One deliberate gap so the coverage layer has something to show: the south-east corner
    # of the last community is left out of its last grid. The cut runs between points on the
    # community's own straight edges, so no neighbouring grid is touched.
    last = new_grids[-1]
    shape = to_shape(last.geometry)
    minx, miny, maxx, maxy = shape.bounds
    corner = Polygon(
        [(maxx, miny), (maxx, miny + (maxy - miny) * 0.4), (maxx - (maxx - minx) * 0.4, miny)]
    )
    shrunk = shape.difference(corner)
    last.geometry = to_geojson(shrunk)
    last.area_m2 = area_m2(shrunk)
    city.gap_community = last.community.code
    city.grids = Grid.objects.bulk_create(new_grids, batch_size=2000)
    bump_version()
    return city
