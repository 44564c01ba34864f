from __future__ import annotations

from typing import Any, Self

from civicgrid.accounts.choices import Role
from civicgrid.core.scoping import ScopedQuerySet


class PatrolQuerySet(ScopedQuerySet[Any]):
    """Tracks are personal data (PIPL art. 28): a grid worker sees only their own patrols, the
    secretary and command centre those of their jurisdiction (READS["tracks"]), nobody else."""

    def visible_to(self, user: Any) -> Self:
        scoped = super().visible_to(user)
        if user is not None and user.is_authenticated and user.role == Role.GRID_WORKER:
            # The model names the path to the worker ("worker", or "patrol__worker" for flags).
            return scoped.filter(**{getattr(self.model, "worker_field", "worker"): user})
        return scoped

    def finished(self) -> Self:
        return self.filter(ended_at__isnull=False)


class ComplianceQuerySet(ScopedQuerySet[Any]):
    def visible_to(self, user: Any) -> Self:
        scoped = super().visible_to(user)
        if user is not None and user.is_authenticated and user.role == Role.GRID_WORKER:
            return scoped.filter(worker=user)
        return scoped


class VisitQuerySet(ScopedQuerySet[Any]):
    """Visits are ledger work: everyone who reads the grid's ledgers sees its visits."""

    def for_person(self, person_id: int) -> Self:
        return self.filter(person_id=person_id)
