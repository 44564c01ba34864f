"""Which visits fell due on which day, and whether each was made in time: the history behind
走访完成率 (visits done vs due). Assessment counts these occurrences into its daily facts, as it
counts ``DailyCompliance`` for 一日双巡; the rules stay field work's (``VisitRule``,
``visits.rule_for_tag`` and ``visits.rule_for_household``, the same as the due list a worker
sees).

A person under a care/special-group rule, or a household under a household-type rule, of
interval *n* days owes a visit *n* days after the start (the tag's start, the household's
registration), then *n* days after the last visit made in time. One due occurrence sits on its
due day and is *done* when somebody visited the person (the household) after the previous
anchor and on or before that day. A missed one is not forgiven: the next falls due *n* days
after the missed day, so a person left unvisited for a long time owes one visit per interval.
Occurrences stop when the tag ends or the person or household leaves the ledger
(``retired_on``). A household's type is read as it is now: the ledger keeps no history of it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from civicgrid.fieldwork.choices import HouseholdType
from civicgrid.fieldwork.models import Visit, VisitRule
from civicgrid.fieldwork.visits import rule_for_household, rule_for_tag
from civicgrid.registry.choices import Occupancy
from civicgrid.registry.models import Household, PersonTag


@dataclass(frozen=True)
class DueOccurrence:
    day: date
    grid_code: str
    person_id: int | None
    household_id: int | None
    done: bool


def _walk(
    started_on: date, stop: date, interval: int, days: list[date], start: date
) -> Iterator[tuple[date, bool]]:
    """(due day, done) of every occurrence in [start, stop) for one target visited on
    ``days`` (ascending local dates)."""
    anchor = started_on
    while interval > 0:
        due = anchor + timedelta(days=interval)
        if due >= stop:
            return
        # The last visit after the anchor and by the due day, if any.
        i = bisect_right(days, due)
        done = i > 0 and days[i - 1] > anchor
        if due >= start:
            yield due, done
        anchor = days[i - 1] if done else due


def due_occurrences(start: date, end: date) -> Iterator[DueOccurrence]:
    """Every due visit whose due day lies in the local days [start, end]. Four queries (rules,
    ruled tags, ruled households, their visits up to ``end``), then a walk per target."""
    rules = list(VisitRule.objects.all())
    kinds = {r.tag_kind_id for r in rules if r.tag_kind_id is not None}
    types = {r.household_type for r in rules if r.household_type}
    tz = timezone.get_default_timezone()
    after_end = end + timedelta(days=1)
    tags = (
        list(
            PersonTag.objects.filter(kind_id__in=kinds, started_on__lte=end)
            .exclude(ended_on__lt=start)
            .exclude(person__retired_on__lt=start)
            .values_list(
                "kind_id", "attributes", "started_on", "ended_on", "grid_code", "person_id",
                "person__retired_on",
            )
        )
        if kinds
        else []
    )  # fmt: skip
    homes = []
    if types:
        which = Q(kind__in=types - {HouseholdType.RENTED})
        if HouseholdType.RENTED in types:
            which |= Q(dwelling__occupancy=Occupancy.RENTED)
        homes = [
            (pk, kind, occupancy, timezone.localtime(created, tz).date(), retired, code)
            for pk, kind, occupancy, created, retired, code in Household.objects.filter(
                which, created_at__lt=datetime.combine(after_end, time.min, tzinfo=tz)
            )
            .exclude(retired_on__lt=start)
            .values_list("pk", "kind", "dwelling__occupancy", "created_at", "retired_on", "grid_code")
        ]  # fmt: skip
    if not tags and not homes:
        return
    first = min([t[2] for t in tags] + [h[3] for h in homes])
    low = datetime.combine(first, time.min, tzinfo=tz)
    high = datetime.combine(after_end, time.min, tzinfo=tz)
    person_days: dict[int, list[date]] = defaultdict(list)
    home_days: dict[int, list[date]] = defaultdict(list)
    whose = Q(person_id__in={t[5] for t in tags}) | Q(household_id__in={h[0] for h in homes})
    for person_id, household_id, visited_at in (
        Visit.objects.filter(whose, visited_at__gte=low, visited_at__lt=high)
        .order_by("visited_at")
        .values_list("person_id", "household_id", "visited_at")
    ):
        day = timezone.localtime(visited_at, tz).date()
        if person_id is not None:
            person_days[person_id].append(day)
        if household_id is not None:
            home_days[household_id].append(day)

    def stop_at(*days: date | None) -> date:
        # The first day nothing is owed any more.
        return min(d for d in (*days, after_end) if d is not None)

    for kind_id, attributes, started_on, ended_on, code, person_id, retired_on in tags:
        rule = rule_for_tag(PersonTag(kind_id=kind_id, attributes=attributes or {}), rules)
        if rule is None:
            continue
        stop = stop_at(ended_on, retired_on)
        for due, done in _walk(
            started_on, stop, rule.interval_days, person_days.get(person_id, []), start
        ):
            yield DueOccurrence(due, code, person_id, None, done)
    for pk, kind, occupancy, created_on, retired_on, code in homes:
        house_rule = rule_for_household(kind, occupancy, rules)
        if house_rule is None:
            continue
        stop = stop_at(retired_on)
        for due, done in _walk(
            created_on, stop, house_rule.interval_days, home_days.get(pk, []), start
        ):
            yield DueOccurrence(due, code, None, pk, done)
