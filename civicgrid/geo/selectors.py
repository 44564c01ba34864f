from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from civicgrid.core.scoping import access_object
from civicgrid.geo.codes import ancestor_codes
from civicgrid.geo.index import grid_index
from civicgrid.geo.models import Grid, Region


@dataclass(frozen=True)
class Location:
    grid: Grid
    chain: list[Region]  # province/city … community, top first


def regions_by_code(codes: set[str]) -> dict[str, Region]:
    return {r.code: r for r in Region.objects.filter(code__in=codes)}


def locate(lat: float, lng: float) -> Location | None:
    """The current grid containing the point (and its regions), or None outside every grid."""
    grid_id = int(grid_index().locate_many(np.array([lng]), np.array([lat]))[0])
    if grid_id < 0:
        return None
    grid = Grid.objects.select_related("community").get(pk=grid_id)
    regions = regions_by_code(set(ancestor_codes(grid.code)))
    chain = [regions[c] for c in ancestor_codes(grid.code) if c in regions]
    return Location(grid=grid, chain=chain)


def locate_batch(points: list[tuple[float, float]]) -> list[int | None]:
    """Grid id for each ``(lat, lng)``; None where outside every grid. For imports."""
    if not points:
        return []
    arr = np.asarray(points, dtype=float)
    ids = grid_index().locate_many(arr[:, 1], arr[:, 0])
    return [int(i) if i >= 0 else None for i in ids]


def access_grid(user: Any, pk: Any, *, for_write: bool = False) -> Grid:
    return access_object(Grid.objects.all(), user, pk, for_write=for_write)


def access_region(user: Any, pk: Any, *, for_write: bool = False) -> Region:
    return access_object(Region.objects.all(), user, pk, for_write=for_write)


def jurisdiction_summary(user: Any) -> dict[str, Any]:
    """Counts of what the user is responsible for, for the workbench header."""
    from django.db.models import Count

    by_level = dict(
        Region.objects.visible_to(user)
        .filter(retired_on__isnull=True)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    return {
        "scope_codes": user.scope_codes,
        "scope_regions": list(
            Region.objects.filter(code__in=[c for c in user.scope_codes if len(c) <= 12])
        ),
        "scope_grids": list(
            Grid.objects.filter(code__in=[c for c in user.scope_codes if len(c) == 15])
        ),
        "streets": by_level.get("street", 0),
        "communities": by_level.get("community", 0),
        "grids": Grid.objects.visible_to(user).current().count(),
    }


def grid_workers(grid_codes: list[str]) -> dict[str, list[Any]]:
    """Active grid workers per grid code, in one query."""
    from civicgrid.accounts.choices import Role
    from civicgrid.accounts.models import Scope

    result: dict[str, list[Any]] = {code: [] for code in grid_codes}
    for scope in Scope.objects.filter(
        code__in=grid_codes, retired_on__isnull=True, user__role=Role.GRID_WORKER
    ).select_related("user"):
        result[scope.code].append(scope.user)
    return result


def region_tree(user: Any, root_code: str | None = None) -> list[dict[str, Any]]:
    """Visible regions as nested dicts with child and grid counts, in two queries."""
    from django.db.models import Count, Q

    regions = list(
        Region.objects.visible_to(user)
        .filter(retired_on__isnull=True)
        .annotate(grid_count=Count("grids", filter=Q(grids__retired_on__isnull=True)))
        .order_by("code")
    )
    if root_code:
        regions = [r for r in regions if r.code.startswith(root_code)]
    nodes = {r.pk: {"region": r, "children": [], "grid_count": r.grid_count} for r in regions}
    roots: list[dict[str, Any]] = []
    for region in regions:
        parent = nodes.get(region.parent_id) if region.parent_id else None
        (parent["children"] if parent else roots).append(nodes[region.pk])

    def total(node: dict[str, Any]) -> int:
        node["total_grids"] = node["grid_count"] + sum(total(c) for c in node["children"])
        node["child_count"] = len(node["children"])
        return node["total_grids"]

    for root in roots:
        total(root)
    return roots
