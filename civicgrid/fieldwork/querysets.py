from __future__ import annotations

from typing import Any, Self

from civicgrid.accounts.choices import Role
from civicgrid.core.scoping import ScopedQuerySet


class OwnWorkQuerySet(ScopedQuerySet[Any]):
    """Tracks and what is derived from them are personal data (PIPL art. 28): a grid worker sees
    only their own, the secretary and command centre those of their jurisdiction
    (READS["tracks"]), nobody else. The model names the path to the worker in ``worker_field``
    ("worker", or "patrol__worker" for flags)."""

    def visible_to(self, user: Any) -> Self:
        scoped = super().visible_to(user)
        if user is not None and user.is_authenticated and user.role == Role.GRID_WORKER:
            return scoped.filter(**{getattr(self.model, "worker_field", "worker"): user})
        return scoped


class PatrolQuerySet(OwnWorkQuerySet):
    def finished(self) -> Self:
        return self.filter(ended_at__isnull=False)


class VisitQuerySet(ScopedQuerySet[Any]):
    """Visits are ledger work: everyone who reads the grid's ledgers sees its visits."""
