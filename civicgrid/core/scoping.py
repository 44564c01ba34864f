"""Jurisdiction by official code prefix (ARCHITECTURE rule 1).

A staff member's scope is a set of division/grid codes. A row is visible when the code that
locates it (``scope_field``) starts with one of them. ``visible_to`` is the only way lists are
filtered; ``access_object`` is the only way a single object is fetched for a user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

M = TypeVar("M", bound=models.Model)


def prefix_q(field: str, codes: list[str]) -> Q:
    """OR of ``field__startswith`` for each code; an empty list matches nothing."""
    query = Q(pk__in=[])
    for code in codes:
        query |= Q(**{f"{field}__startswith": code})
    return query


class ScopedQuerySet(models.QuerySet[M]):
    """QuerySet whose model declares ``scope_field`` (a code path such as ``grid_code``) and
    ``scope_reads`` (the kind of data, looked up in ``accounts.choices.READS``)."""

    def visible_to(self, user: User | Any) -> Self:
        if user is None or not user.is_authenticated:
            return self.none()
        # Which kind of data the rows are ("ledgers", "map", ...): a role that does not read that
        # kind sees none of it, whatever its codes (accounts.choices.READS).
        kind = getattr(self.model, "scope_reads", None)
        if kind is not None and not user.reads(kind):
            return self.none()
        if user.sees_everything:
            return self.all()
        field = getattr(self.model, "scope_field", "grid_code")
        return self.filter(prefix_q(field, user.scope_codes))


def access_object(
    queryset: models.QuerySet[M], user: User | Any, pk: Any, *, for_write: bool = False
) -> M:
    """Return the object if ``user`` may see it: 404 when out of scope or missing (the same
    answer, so nobody learns what exists elsewhere), 403 when visible but read-only."""
    try:
        obj = queryset.visible_to(user).get(pk=pk)  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if for_write and not user.can_write:
        raise PermissionDenied
    return obj
