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
