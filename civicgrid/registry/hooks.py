"""What higher apps give the ledger's pages (docs/architecture.md "Layout": ``registry`` never
imports the apps above it).

- ``register_stored_audit(func)``: ``func(user, weakest=n)`` returns the newest stored
  completeness audit of the user's jurisdiction (``StoredAudit``, with its ``n`` lowest-scoring
  grids when asked), or ``None`` when none is recent. The workbench panel and the registry home
  of a street or wider read it, and the headline counts stored with it, instead of auditing
  and counting millions of records while the person waits (assessment's nightly
  ``CompletenessSnapshot``; docs/scaling.md "City-scale run").
- ``register_stored_grid_audit(func)``: ``func(user, code)`` returns ``(day, rows)``, the
  audit's grid rows under ``code`` (``selectors.Completeness``, in code order) as the newest
  recent night stored them, or ``None``. The audit page of a street or wider reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from civicgrid.registry.selectors import completeness_score


@dataclass(frozen=True)
class StoredGrid:
    """One grid's row of a stored audit, with what the registry home shows of it."""

    code: str
    name: str
    households: int
    people: int
    gaps: int
    score: int


@dataclass(frozen=True)
class StoredAudit:
    """A jurisdiction's completeness summed over its grids as audited on ``day``: the same
    gaps and score the live audit (``selectors.Completeness``) gives for the same ledger."""

    day: date
    gaps: int
    checks: int
    # ``selectors.registry_counts`` as counted that night (None: not stored that night).
    counts: dict[str, int] | None = None
    # The lowest-scoring grids that night, lowest first (only when asked for).
    weakest: tuple[StoredGrid, ...] = ()

    @property
    def score(self) -> int:
        return completeness_score(self.checks, self.gaps)


StoredAuditSource = Callable[..., "StoredAudit | None"]
_sources: list[StoredAuditSource] = []


def register_stored_audit(source: StoredAuditSource) -> None:
    if source not in _sources:
        _sources.append(source)


def stored_audit(user: Any, *, weakest: int = 0) -> StoredAudit | None:
    for source in _sources:
        found = source(user, weakest=weakest)
        if found is not None:
            return found
    return None


StoredGridAuditSource = Callable[[Any, str], "tuple[date, list[Any]] | None"]
_grid_sources: list[StoredGridAuditSource] = []


def register_stored_grid_audit(source: StoredGridAuditSource) -> None:
    if source not in _grid_sources:
        _grid_sources.append(source)


def stored_grid_audit(user: Any, code: str) -> tuple[date, list[Any]] | None:
    for source in _grid_sources:
        found = source(user, code)
        if found is not None:
            return found
    return None
