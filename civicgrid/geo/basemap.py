"""The base map under every map (docs/architecture.md "Maps").

Three ways, chosen by settings (docs/configuration.md):

- 天地图 (``MAP_BASE=tianditu`` with ``TIANDITU_KEY``): the vector layer and its annotation
  layer in the Web-Mercator tile set. 天地图 is in CGCS2000, which differs from WGS84 by
  centimetres, so our WGS84 data lays on it as it is.
- any XYZ tile server (``MAP_TILE_URL``). Chinese commercial providers (高德, 腾讯) serve tiles
  in GCJ-02, shifted by up to ~500 m from WGS84: say so with ``MAP_TILE_CRS=gcj02`` and the
  browser projects every coordinate through WGS84 → GCJ-02 (static/js/civic_basemap.js), so
  grids, tracks and clicks stay where they are on the ground. Data is never stored in GCJ-02.
- none (the demo, sites without a tile server): the city's own street and community boundaries,
  drawn from ``offline_features`` below, so a map is never a blank grey box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shapely
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape

from civicgrid.geo.choices import Level
from civicgrid.geo.models import Region

TIANDITU_TILES = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)
TIANDITU_ATTRIBUTION = "© 天地图 国家地理信息公共服务平台"
# Boundaries are simplified to about a metre: enough for a base layer, a fraction of the bytes.
SIMPLIFY_DEGREES = 0.00001
CACHE_SECONDS = 600


def tile_layers() -> list[dict[str, Any]]:
    """The tile layers a map draws, bottom first; empty means the offline base layer."""
    if settings.MAP_BASE == "tianditu":
        # Leaflet fills {s}, {z}, {x}, {y}; the key is ours to put in.
        def url(layer: str) -> str:
            return TIANDITU_TILES.replace("{layer}", layer).replace("{key}", settings.TIANDITU_KEY)

        return [
            {"url": url("vec"), "attribution": TIANDITU_ATTRIBUTION, "subdomains": "01234567"},
            {"url": url("cva"), "attribution": "", "subdomains": "01234567"},
        ]
    if settings.MAP_TILE_URL:
        return [
            {
                "url": settings.MAP_TILE_URL,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                "subdomains": "abc",
            }
        ]
    return []


# Point layers apps above geo add to the offline base map (registry: buildings), each a
# function of the user returning {"url", "min_zoom"} or None when that user may not read them.
PointLayer = Callable[[Any], "dict[str, Any] | None"]
_POINT_LAYERS: list[PointLayer] = []


def register_point_layer(layer: PointLayer) -> None:
    if layer not in _POINT_LAYERS:
        _POINT_LAYERS.append(layer)


def basemap_config(user: Any = None) -> dict[str, Any]:
    """What static/js/civic_basemap.js needs, rendered once per page as JSON."""
    layers = tile_layers()
    points = []
    if not layers and user is not None and user.is_authenticated:
        points = [found for layer in _POINT_LAYERS if (found := layer(user)) is not None]
    return {
        "points": points,
        "layers": layers,
        "has_tiles": bool(layers),
        "crs": settings.MAP_TILE_CRS if settings.MAP_BASE != "tianditu" else "wgs84",
        "offline_url": "" if layers else reverse("geo:basemap"),
        "credit": "" if layers else _("底图:本市街道与社区边界"),
    }


def _version() -> str:
    # Boundaries change rarely (a community redrawn by the command centre): key the cache on
    # the latest change so an edit shows at once.
    latest = Region.objects.aggregate(at=Max("updated_at"))["at"]
    return latest.isoformat() if latest else "none"


def offline_features() -> dict[str, Any]:
    """Street and community boundaries of the city as one GeoJSON FeatureCollection.

    Public data: boundaries and names of administrative divisions are published anyway and
    say nothing about any person. A street without a drawn boundary gets the union of its
    communities'."""
    key = f"geo:basemap:{_version()}"
    found = cache.get(key)
    if found is not None:
        return found
    regions = list(
        Region.objects.filter(
            level__in=(Level.STREET, Level.COMMUNITY), retired_on__isnull=True
        ).values("code", "short_name", "level", "boundary", "parent__code")
    )
    shapes: dict[str, Any] = {}
    for r in regions:
        if r["boundary"]:
            try:
                shapes[r["code"]] = shape(r["boundary"])
            except (KeyError, TypeError, ValueError, shapely.errors.GEOSException):
                continue  # a broken boundary is coverage's to report, not the base map's
    by_street: dict[str, list[Any]] = {}
    for r in regions:
        if r["level"] == Level.COMMUNITY and r["code"] in shapes:
            by_street.setdefault(r["parent__code"], []).append(shapes[r["code"]])
    features = []
    for r in regions:
        geom = shapes.get(r["code"])
        if geom is None and r["level"] == Level.STREET and by_street.get(r["code"]):
            geom = shapely.union_all(by_street[r["code"]])
        if geom is None or geom.is_empty:
            continue
        simple = shapely.simplify(geom, SIMPLIFY_DEGREES, preserve_topology=True)
        point = geom.representative_point()
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(shapely.set_precision(simple, 1e-6)),
                "properties": {
                    "code": r["code"],
                    "name": r["short_name"],
                    "level": r["level"],
                    "label_at": [round(point.y, 6), round(point.x, 6)],
                },
            }
        )
    # Streets first: the communities draw over them.
    features.sort(key=lambda f: (f["properties"]["level"] != Level.STREET, f["properties"]["code"]))
    collection = {"type": "FeatureCollection", "features": features}
    cache.set(key, collection, CACHE_SECONDS)
    return collection


def community_features(user: Any) -> dict[str, Any]:
    """The communities of ``user``'s jurisdiction, outlined as on the base layer: what the
    command screen draws when a jurisdiction holds too many grids to draw each (a city of
    25,000 grids is 14 MB of GeoJSON and a minute and a half of painting)."""
    mine = set(
        Region.objects.visible_to(user)
        .filter(level=Level.COMMUNITY, retired_on__isnull=True)
        .values_list("code", flat=True)
    )
    features = [
        f
        for f in offline_features()["features"]
        if f["properties"]["level"] == Level.COMMUNITY and f["properties"]["code"] in mine
    ]
    return {"type": "FeatureCollection", "features": features}
