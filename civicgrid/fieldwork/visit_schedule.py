"""Which visits fell due on which day, and whether each was made in time: the history behind
走访完成率 (visits done vs due). Assessment counts these occurrences into its daily facts, as it
counts ``DailyCompliance`` for 一日双巡; the rules stay field work's (``VisitRule`` and
``visits.rule_for_tag``, the same as the due list a worker sees).

A person under a visit rule of interval *n* days owes a visit *n* days after the start of
their tag, then *n* days after the last visit made in time. One due occurrence sits on its due
day and is *done* when somebody visited the person after the previous anchor and on or before
that day. A missed one is not forgiven: the next falls due *n* days after the missed day, so a
person left unvisited for a long time owes one visit per interval. Occurrences stop when the
tag ends or the person leaves the ledger (``retired_on``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from civicgrid.fieldwork.models import Visit, VisitRule
from civicgrid.fieldwork.visits import rule_for_tag
from civicgrid.registry.models import PersonTag


@dataclass(frozen=True)
class DueOccurrence:
    day: date
    grid_code: str
    person_id: int
    done: bool


def due_occurrences(start: date, end: date) -> Iterator[DueOccurrence]:
    """Every due visit whose due day lies in the local days [start, end]. Three queries (rules,
    ruled tags, their people's visits up to ``end``), then a walk per tag in Python."""
    rules = list(VisitRule.objects.all())
    kinds = {r.tag_kind_id for r in rules if r.tag_kind_id is not None}
    if not kinds:
        return
    tags = list(
        PersonTag.objects.filter(kind_id__in=kinds, started_on__lte=end)
        .exclude(ended_on__lt=start)
        .exclude(person__retired_on__lt=start)
        .values_list(
            "kind_id", "attributes", "started_on", "ended_on", "grid_code", "person_id",
            "person__retired_on",
        )
    )  # fmt: skip
    if not tags:
        return
    tz = timezone.get_default_timezone()
    first = min(t[2] for t in tags)
    low = datetime.combine(first, time.min, tzinfo=tz)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    visits: dict[int, list[date]] = defaultdict(list)
    for person_id, visited_at in (
        Visit.objects.filter(
            person_id__in={t[5] for t in tags}, visited_at__gte=low, visited_at__lt=high
        )
        .order_by("visited_at")
        .values_list("person_id", "visited_at")
    ):
        visits[person_id].append(timezone.localtime(visited_at, tz).date())
    for kind_id, attributes, started_on, ended_on, grid_code, person_id, retired_on in tags:
        rule = rule_for_tag(PersonTag(kind_id=kind_id, attributes=attributes or {}), rules)
        if rule is None or rule.interval_days <= 0:
            continue
        stops = [d for d in (ended_on, retired_on, end + timedelta(days=1)) if d is not None]
        stop = min(stops)  # the first day nothing is owed any more
        days = visits.get(person_id, [])
        anchor = started_on
        while True:
            due = anchor + timedelta(days=rule.interval_days)
            if due >= stop:
                break
            # The last visit after the anchor and by the due day, if any.
            i = bisect_right(days, due)
            done = i > 0 and days[i - 1] > anchor
            if due >= start:
                yield DueOccurrence(due, grid_code, person_id, done)
            anchor = days[i - 1] if done else due
