"""The one hook through which grid adjustments reach everything located in a grid.

Apps that store rows with a grid (buildings, cases, …) register a relocator in their
``AppConfig.ready``. After a split or merge, ``relocate_after_adjustment`` calls each one with
the retired grids and their successors, inside the adjustment's transaction; a relocator moves
its rows from the old grids to whichever new grid contains them and returns how many it moved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from civicgrid.geo.models import Grid

Relocator = Callable[[Sequence["Grid"], Sequence["Grid"]], int]

_relocators: dict[str, Relocator] = {}


def register_relocator(name: str, func: Relocator) -> None:
    _relocators[name] = func


def relocate_after_adjustment(old: Sequence[Grid], new: Sequence[Grid]) -> dict[str, int]:
    return {name: func(old, new) for name, func in sorted(_relocators.items())}


# --- Grids a user reads on the map beyond their jurisdiction --------------------------------
# Jurisdiction (scope codes, ``visible_to``) keeps its meaning everywhere. A higher app may add,
# for the map only, grids a person works in without holding them: a department handler who is
# a member of a grid's team (participation.teams) sees that grid's outline, nothing else of it.
# The map's grid list and its policy ask ``extra_map_codes``; everything else ignores it.
MapGrant = Callable[[object], Sequence[str]]

_map_grants: dict[str, MapGrant] = {}


def register_map_grant(name: str, func: MapGrant) -> None:
    _map_grants[name] = func


def extra_map_codes(user: object) -> list[str]:
    """Grid codes (15 digits) ``user`` may also read on the map, from every registered grant."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    found: set[str] = set()
    for func in _map_grants.values():
        found.update(code for code in func(user) if len(code) == 15 and code.isdigit())
    return sorted(found)
