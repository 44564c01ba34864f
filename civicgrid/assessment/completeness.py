"""Ledger completeness kept per grid and day (docs/architecture.md "Assessment").

The registry's completeness audit (``registry.selectors.completeness``) is the one definition
of the score; it reads the ledger as it is now. ``record_completeness`` stores its per-grid
answer for a day (delete + insert of that day's rows: rerunning the same day gives the same
rows), and ``completeness_history`` reads the stored values back for the analysis pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from civicgrid.accounts.models import User
from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.models import CompletenessSnapshot
from civicgrid.assessment.services import period_end


def _whole_city() -> User:
    # The audit narrows everything to what its reader may see; the stored figures are the
    # whole city's (each reader's view is narrowed again when they are read). An unsaved
    # superuser instance is that reader and is never stored or signed in.
    return User(username="completeness-audit", is_superuser=True, is_active=True)


def record_completeness(day: date | None = None) -> int:
    """Store today's completeness and headline counts of every current grid under ``day``
    (default: today, the only day the audit can speak for); return how many rows were
    written."""
    from civicgrid.registry.selectors import (
        AUDIT_COUNTS,
        HEADLINE_COUNTS,
        completeness,
        registry_counts_by_grid,
    )

    day = day or timezone.now().astimezone(local_tz()).date()
    audit = completeness(_whole_city())
    counts = registry_counts_by_grid(_whole_city())
    rows = [
        CompletenessSnapshot(
            day=day,
            grid_code=g.code,
            score=g.score,
            gaps=g.gaps,
            checks=g.checks,
            # The audit's own counts where both name one (they count the same rows).
            **(
                {name: counts.get(g.code, {}).get(name, 0) for name in HEADLINE_COUNTS}
                | {name: getattr(g, name) for name in AUDIT_COUNTS}
            ),
        )
        for g in audit["grids"]
    ]
    with transaction.atomic():
        CompletenessSnapshot.objects.filter(day=day).delete()
        CompletenessSnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def stored_audit(user: Any, *, weakest: int = 0) -> Any:
    """The registry's audit figures and headline counts from the newest snapshot of
    ``user``'s grids, if it is from today or yesterday (the nightly job's run); else ``None``
    and the page audits and counts live (registry.hooks). Counts are given only when every
    row of that night kept them; with ``weakest``, that many lowest-scoring grids too."""
    from civicgrid.geo.models import Grid
    from civicgrid.registry.hooks import StoredAudit, StoredGrid
    from civicgrid.registry.selectors import HEADLINE_COUNTS

    rows = CompletenessSnapshot.objects.visible_to(user)
    day = _recent_night(rows)
    if day is None:
        return None
    sums = rows.filter(day=day).aggregate(
        gaps=Sum("gaps"),
        checks=Sum("checks"),
        uncounted=Count("pk", filter=Q(people__isnull=True)),
        **{name: Sum(name) for name in HEADLINE_COUNTS},
    )
    counts = None if sums["uncounted"] else {n: sums[n] or 0 for n in HEADLINE_COUNTS}
    low = list(rows.filter(day=day).order_by("score", "grid_code")[:weakest]) if weakest else []
    names = dict(
        Grid.objects.filter(code__in=[r.grid_code for r in low]).values_list("code", "name")
    )
    return StoredAudit(
        day=day,
        gaps=sums["gaps"] or 0,
        checks=sums["checks"] or 0,
        counts=counts,
        weakest=tuple(
            StoredGrid(
                code=r.grid_code,
                name=names.get(r.grid_code, r.grid_code),
                households=r.households or 0,
                people=r.people or 0,
                gaps=r.gaps,
                score=r.score,
            )
            for r in low
        ),
    )


def _recent_night(rows: Any) -> date | None:
    """The newest day of ``rows`` if it is today or yesterday (the nightly job's run)."""
    day = rows.aggregate(day=Max("day"))["day"]
    today = timezone.now().astimezone(local_tz()).date()
    if day is None or (today - day).days > 1:
        return None
    return day


def stored_grid_audit(user: Any, code: str) -> tuple[date, list[Any]] | None:
    """The registry audit's grid rows (``registry.selectors.Completeness``) under ``code`` as
    the newest recent night stored them, in code order; ``None`` when there is no recent
    night or it kept no gaps by kind (registry.hooks)."""
    from civicgrid.geo.models import Grid
    from civicgrid.registry.models import LedgerPolicy
    from civicgrid.registry.selectors import AUDIT_COUNTS, Completeness

    rows = CompletenessSnapshot.objects.visible_to(user).filter(grid_code__startswith=code)
    day = _recent_night(rows)
    if day is None:
        return None
    night = rows.filter(day=day)
    if night.filter(stale__isnull=True).exists():
        return None
    names = dict(Grid.objects.filter(code__startswith=code).values_list("code", "name"))
    policy = LedgerPolicy.current()
    return day, [
        Completeness(
            found[0],
            names.get(found[0], found[0]),
            households_min=policy.households_min,
            households_max=policy.households_max,
            people_max=policy.people_max,
            **dict(zip(AUDIT_COUNTS, found[1:], strict=True)),
        )
        for found in night.order_by("grid_code").values_list("grid_code", *AUDIT_COUNTS)
    ]


def latest_before(user: Any, start: date, end: date) -> dict[str, int]:
    """{grid code: score} of the newest snapshot in [start, end] of each grid ``user`` may
    see."""
    rows = (
        CompletenessSnapshot.objects.visible_to(user)
        .filter(day__gte=start, day__lte=end)
        .order_by("grid_code", "day")
        .values_list("grid_code", "score")
    )
    # Ordered by day: the last row of each grid wins.
    return dict(rows)


def monthly_scores(user: Any, months: Iterable[date], end: date) -> dict[str, list[int | None]]:
    """{grid code: [score at the last snapshot of each month]} for the visible grids; None
    where a month has no snapshot. ``months`` are first days, ascending; ``end`` caps the
    last month."""
    months = list(months)
    if not months:
        return {}
    rows = (
        CompletenessSnapshot.objects.visible_to(user)
        .filter(day__gte=months[0], day__lte=end)
        .order_by("grid_code", "day")
        .values_list("grid_code", "day", "score")
    )
    out: dict[str, list[int | None]] = {}
    for code, day, score in rows:
        series = out.setdefault(code, [None] * len(months))
        for i, month in enumerate(months):
            if month <= day <= period_end("month", month):
                series[i] = score
    return out
