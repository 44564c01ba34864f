"""Jurisdiction by official code prefix (ARCHITECTURE rule 1).

A staff member's scope is a set of division/grid codes. A row is visible when the code that
locates it (``scope_field``) starts with one of them. ``visible_to`` is the only way lists are
filtered; ``access_object`` is the only way a single object is fetched for a user.

"Starts with" is written as a range, ``code >= p AND code < next_prefix(p)``: both SQLite and
PostgreSQL walk a plain btree index for that, whatever the collation, where ``LIKE 'p%'`` is a
full scan on SQLite (its LIKE is case-insensitive) and needs ``text_pattern_ops`` on PostgreSQL
under a non-C collation (docs/architecture.md "City scale").
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

M = TypeVar("M", bound=models.Model)


def scope_key(user: Any, *extra: Any) -> str:
    """Cache key part naming ``user``'s jurisdiction (and whatever else changes what is
    shown): figures kept per jurisdiction are shared by everyone who sees the same codes."""
    codes = "*" if user.sees_everything else ",".join(user.scope_codes)
    raw = "|".join([codes, *(str(e) for e in extra)])
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def next_prefix(prefix: str) -> str | None:
    """The smallest digit string after every string that starts with ``prefix`` ("129" ->
    "13"), None when there is none ("99"). Only for digit prefixes: digits sort the same in
    every collation, so the range means the same on both databases."""
    stripped = prefix.rstrip("9")
    if not stripped:
        return None
    return stripped[:-1] + chr(ord(stripped[-1]) + 1)


def starts_with_q(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``, as an index range when the prefix is digits (official
    codes always are); any other text keeps ``__startswith`` (same answer, no index)."""
    if not prefix:
        return Q(**{f"{field}__isnull": False})
    if not (prefix.isascii() and prefix.isdigit()):
        return Q(**{f"{field}__startswith": prefix})
    upper = next_prefix(prefix)
    query = Q(**{f"{field}__gte": prefix})
    if upper is not None:
        query &= Q(**{f"{field}__lt": upper})
    return query


def covering_prefixes(codes: list[str]) -> list[str]:
    """``codes`` without those another code already covers ("52", "5201" -> "52")."""
    kept: list[str] = []
    for code in sorted(set(codes)):
        if not any(code.startswith(k) for k in kept):
            kept.append(code)
    return kept


def prefix_q(field: str, codes: list[str]) -> Q:
    """OR of "``field`` starts with code" for each code; an empty list matches nothing."""
    query = Q(pk__in=[])
    for code in covering_prefixes(list(codes)):
        query |= starts_with_q(field, code)
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
