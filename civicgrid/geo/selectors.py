from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.core.exceptions import PermissionDenied
from django.http import Http404

from civicgrid.accounts.choices import Role
from civicgrid.core.scoping import access_object
from civicgrid.geo.choices import LENGTH_BY_LEVEL, Level
from civicgrid.geo.codes import ancestor_codes
from civicgrid.geo.coverage import CoverageProblem, check_coverage
from civicgrid.geo.geometry import to_shape, validity_problem
from civicgrid.geo.hooks import extra_map_codes
from civicgrid.geo.index import grid_index
from civicgrid.geo.models import Grid, Region
from civicgrid.geo.presenters import grid_collection

# Roles that may split and merge grids (动态调整) inside their jurisdiction.
ADJUST_ROLES = frozenset({Role.COMMAND, Role.SYSADMIN})


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


def access_grid_for_adjustment(user: Any, pk: Any) -> Grid:
    """A grid the user may split or merge: 404 out of scope, 403 for roles that do not adjust."""
    grid = access_grid(user, pk, for_write=True)
    if not (user.is_superuser or user.role in ADJUST_ROLES):
        raise PermissionDenied
    return grid


def adjacent_grids(grid: Grid, user: Any) -> list[Grid]:
    """Current grids of the same community, visible to ``user``, sharing an edge with ``grid``.

    An invalid polygon (on either side) cannot be intersected reliably, and grid_merge refuses
    it anyway: it is simply not offered, instead of breaking the grid's page."""
    shape = to_shape(grid.geometry)
    if validity_problem(shape):
        return []
    candidates = (
        Grid.objects.visible_to(user)
        .current()
        .filter(community_id=grid.community_id)
        .exclude(pk=grid.pk)
        .order_by("code")
    )
    found = []
    for candidate in candidates:
        other = to_shape(candidate.geometry)
        if not validity_problem(other) and shapely.intersection(shape, other).length > 0:
            found.append(candidate)
    return found


def locate_for(user: Any, lat: float, lng: float) -> Location | None:
    """``locate`` limited to the user's jurisdiction: a grid they may not see is not found."""
    found = locate(lat, lng)
    if found is None or not user.in_scope(found.grid.code, reads="map"):
        return None
    return found


def grids_feature_collection(user: Any, community: str = "") -> dict[str, Any]:
    """The user's current grids as GeoJSON for the map and for export; one query. A department
    member of a grid's team also sees that grid's outline (geo.hooks.extra_map_codes): the map
    shows it, nothing else of the grid becomes theirs (docs/architecture.md "Grid teams")."""
    grids = Grid.objects.visible_to(user)
    extra = extra_map_codes(user)
    if extra:
        grids = grids | Grid.objects.filter(code__in=extra)
    grids = grids.current().select_related("community")
    if community:
        grids = grids.filter(code__startswith=community)
    return grid_collection(grids)


def coverage_problems_for(user: Any, code: str = "") -> list[CoverageProblem]:
    """Coverage problems in ``code`` (or in all of the user's scopes) that touch what the user
    may see. Raises 404 for a code outside the user's jurisdiction."""
    if code:
        if not user.in_scope(code, reads="map"):
            raise Http404
        areas = [code]
    else:
        areas = [""] if user.sees_everything else user.scope_codes
    scopes = [""] if user.sees_everything else user.scope_codes
    seen: set[tuple[str, tuple[str, ...], tuple[float, float]]] = set()
    problems = []
    for area in _outermost(areas):
        for problem in check_coverage(area):
            key = (problem.kind, problem.codes, problem.location)
            # A grid worker sees the problems of their own grid, including a gap in its
            # community, but not an overlap between two neighbours elsewhere.
            if key not in seen and any(
                c.startswith(s) or s.startswith(c) for c in problem.codes for s in scopes
            ):
                seen.add(key)
                problems.append(problem)
    return problems


def _outermost(codes: list[str]) -> list[str]:
    """Codes that are not inside another one in the list (a community within a street…)."""
    kept: list[str] = []
    for code in sorted(set(c[:12] for c in codes), key=len):
        if not any(code.startswith(k) for k in kept):
            kept.append(code)
    return kept


def access_region(user: Any, pk: Any, *, for_write: bool = False) -> Region:
    return access_object(Region.objects.all(), user, pk, for_write=for_write)


def jurisdiction_summary(user: Any) -> dict[str, Any]:
    """Counts of what the user is responsible for, for the workbench header. A grid worker's
    grid counts its community and street too, so nobody's header reads "0 社区"."""
    regions = Region.objects.visible_to(user).filter(retired_on__isnull=True)
    grids = Grid.objects.visible_to(user).current()
    communities = set(regions.filter(level="community").values_list("code", flat=True))
    communities |= set(grids.order_by().values_list("community__code", flat=True).distinct())
    streets = set(regions.filter(level="street").values_list("code", flat=True))
    streets |= {code[:9] for code in communities}
    return {
        "scope_codes": user.scope_codes,
        "scope_regions": list(
            Region.objects.filter(code__in=[c for c in user.scope_codes if len(c) <= 12])
        ),
        "scope_grids": list(
            Grid.objects.filter(code__in=[c for c in user.scope_codes if len(c) == 15])
        ),
        "streets": len(streets),
        "communities": len(communities),
        "grids": grids.count(),
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


# Above this many visible grids the tree shows counts only; the map and grid search list them.
MAX_GRIDS_IN_TREE = 300


def region_tree(user: Any) -> list[dict[str, Any]]:
    """The user's regions as nested dicts with counts of current grids in their scope.

    Regions above a scope (the street and district of a community cadre, the community of a
    grid worker) are included as context so that everyone sees where their area sits; their
    counts include only what the user may see. Three queries whatever the size."""
    from django.db.models import Count

    context_codes = {a for code in user.scope_codes for a in ancestor_codes(code)}
    regions = list(
        (Region.objects.visible_to(user) | Region.objects.filter(code__in=context_codes))
        .filter(retired_on__isnull=True)
        .order_by("code")
    )
    visible_grids = Grid.objects.visible_to(user).current()
    per_community = dict(
        visible_grids.order_by()
        .values_list("community_id")
        .annotate(n=Count("id"))
        .values_list("community_id", "n")
    )
    grids_by_community: dict[int, list[Grid]] = {}
    if sum(per_community.values()) <= MAX_GRIDS_IN_TREE:
        for grid in visible_grids.only("id", "code", "name", "community_id").order_by("code"):
            grids_by_community.setdefault(grid.community_id, []).append(grid)
    nodes = {
        r.pk: {
            "region": r,
            "children": [],
            "grid_count": per_community.get(r.pk, 0),
            "grids": grids_by_community.get(r.pk, []),
        }
        for r in regions
    }
    roots: list[dict[str, Any]] = []
    for region in regions:
        parent = nodes.get(region.parent_id) if region.parent_id else None
        (parent["children"] if parent else roots).append(nodes[region.pk])

    def total(node: dict[str, Any]) -> tuple[int, int, int]:
        """(grids, communities, streets) in the node's subtree, the node itself included."""
        grids, communities, streets = node["grid_count"], 0, 0
        for child in node["children"]:
            child_grids, child_communities, child_streets = total(child)
            grids += child_grids
            communities += child_communities
            streets += child_streets
        node.update(total_grids=grids, total_communities=communities, total_streets=streets)
        level = node["region"].level
        return grids, communities + (level == "community"), streets + (level == "street")

    for root in roots:
        total(root)
    return roots


def above_community(code: str) -> bool:
    """Whether ``code`` names a street or wider (``""``: everywhere)."""
    return len(code) < LENGTH_BY_LEVEL[Level.COMMUNITY]


def wider_than_community(user: Any) -> bool:
    """Whether ``user``'s jurisdiction holds more than one community (a street or wider): the
    pages that would list a city's 25,000 grids roll up to communities for them."""
    return bool(user.sees_everything) or any(above_community(c) for c in user.scope_codes)
