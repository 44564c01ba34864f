"""Stage deadlines from the responsibility list, in working time (``core.worktime``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from civicgrid.cases.models import Case, Category, ResponsibilityRule
from civicgrid.core.worktime import DeadlineState, add_working_time, deadline_state


def rule_for(
    category: Category, grid_code: str, *, urgent: bool = False
) -> ResponsibilityRule | None:
    """The rule in force for a category at a place.

    Candidates are the active rules of the 小类 and of its 大类 whose region prefix is empty or
    a prefix of ``grid_code``. The most specific wins: longest region prefix first, then a
    小类 rule over a 大类 rule, then the urgent variant for urgent cases (an urgent case
    falls back to the normal variant when no urgent one exists)."""
    ids = [category.pk] + ([category.parent_id] if category.parent_id else [])
    rules = ResponsibilityRule.objects.filter(category_id__in=ids, retired_on__isnull=True)
    return choose_rule(rules.select_related("department"), category, grid_code, urgent)


def choose_rule(
    rules: Iterable[ResponsibilityRule], category: Category, grid_code: str, urgent: bool
) -> ResponsibilityRule | None:
    """Of the active ``rules`` of the category and its 大类, the one in force at
    ``grid_code`` (the choice ``rule_for`` describes); intake runs it over prepared rules."""
    candidates = [
        r for r in rules if grid_code.startswith(r.region_prefix) and (urgent or not r.urgent)
    ]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda r: (len(r.region_prefix), r.category_id == category.pk, r.urgent),
    )


def stage_due(rule: ResponsibilityRule | None, stage: str, start: datetime) -> datetime | None:
    """When ``stage`` started at ``start`` must end, or None without a limit."""
    if rule is None:
        return None
    limit = rule.limit(stage)
    if limit is None:
        return None
    amount, unit = limit
    return add_working_time(start, amount, unit)


def case_deadline_state(case: Case, now: datetime | None = None) -> DeadlineState | None:
    """On time / due soon / overdue for the stage the case is in (None without a clock)."""
    if not case.is_open:
        return None
    return deadline_state(case.stage_due_at, now, started=case.stage_started_at)
