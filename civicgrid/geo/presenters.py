"""What readers of the map see of a grid (ARCHITECTURE rule 7, docs/architecture.md
"Geometry").

Grids hold no personal data and only the roles in ``accounts.choices.MAP_READERS`` reach them,
so there is one audience. What this module decides is the shape: the map, the grid card and the
API read a grid through these functions, so a field added or withheld here changes everywhere at
once. Values are plain data; names are never pre-formatted as HTML (the map's JavaScript puts
them into the page as text).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from civicgrid.geo.models import Grid


def grid_feature(grid: Grid) -> dict[str, Any]:
    """One grid as a GeoJSON Feature for the maps (its community must be selected)."""
    return {
        "type": "Feature",
        "id": grid.code,
        "geometry": grid.geometry,
        "properties": {
            "id": grid.pk,
            "code": grid.code,
            "name": grid.name,
            "kind": grid.kind,
            "kind_label": str(grid.get_kind_display()),
            "community_code": grid.community.code,
            "community": grid.community.short_name,
            "area_m2": round(grid.area_m2, 1),
            "valid_from": grid.valid_from.isoformat(),
        },
    }


def grid_collection(grids: Iterable[Grid]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [grid_feature(g) for g in grids]}


def worker_contacts(workers: Iterable[Any]) -> list[dict[str, str]]:
    """The grid workers on a grid card: the name staff know them by and their work phone, which
    is meant to be called (no private data of the account)."""
    return [{"name": str(w), "phone": w.phone or ""} for w in workers]
