"""The population panel's figures kept per community and night (docs/architecture.md
"Command-centre screen").

Counting who lives in a city (10 M people: by birth year, sex and residency, and by care or
special group) took the screen 5.5 s warm and over a minute cold. ``record_population`` counts
it once a night per community, in the same nightly run as the completeness snapshot
(delete + insert of that day's rows: rerunning the same day gives the same rows);
``stored_population`` gives a jurisdiction made of whole communities its sums, in the shape
the live count has, or ``None`` when there is no recent night and the screen counts live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import Left
from django.utils import timezone

from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.models import PopulationFact
from civicgrid.geo.choices import LENGTH_BY_LEVEL, Level

COMMUNITY = LENGTH_BY_LEVEL[Level.COMMUNITY]  # digits of a community code


@dataclass(frozen=True)
class StoredPopulation:
    counted_at: datetime
    # (birth year or None, sex, residency, people)
    groups: list[tuple[int | None, str, str, int]]
    # (tag kind name, its order, people)
    tags: list[tuple[str, int, int]]


def record_population(day: date | None = None) -> int:
    """Store the population of every community under ``day`` (default: today); return the
    number of rows written."""
    from civicgrid.registry.choices import PersonStatus
    from civicgrid.registry.models import Person, PersonTag

    day = day or timezone.now().astimezone(local_tz()).date()
    now = timezone.now()
    community = Left("grid_code", COMMUNITY)
    people = (
        Person.objects.living_here()
        .order_by()
        .annotate(community=community)
        .values_list("community", "birth_date__year", "sex", "residency")
        .annotate(n=Count("*"))
    )
    tags = (
        PersonTag.objects.active()
        .filter(person__status=PersonStatus.LIVING, person__retired_on__isnull=True)
        .order_by()
        .annotate(community=Left("person__grid_code", COMMUNITY))
        .values_list("community", "kind_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    rows = [
        PopulationFact(
            day=day, community_code=code, birth_year=year, sex=sex, residency=kind, n=n,
            counted_at=now,
        )
        for code, year, sex, kind, n in people
    ] + [
        PopulationFact(day=day, community_code=code, tag_kind_id=kind_id, n=n, counted_at=now)
        for code, kind_id, n in tags
    ]  # fmt: skip
    with transaction.atomic():
        PopulationFact.objects.filter(day=day).delete()
        PopulationFact.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def whole_communities(user: Any) -> bool:
    """Whether ``user``'s jurisdiction is one or more whole communities and more than one (a
    street or wider): the stored figures answer exactly for it."""
    from civicgrid.geo.selectors import wider_than_community

    codes = user.scope_codes
    return wider_than_community(user) and all(len(c) <= COMMUNITY for c in codes)


def stored_population(user: Any, today: date) -> StoredPopulation | None:
    """The newest night's population of ``user``'s communities, if it is from ``today`` or
    the day before; sensitive groups only for holders of the special-groups permission."""
    from civicgrid.registry.querysets import sees_special_groups

    if not user.reads("ledgers") or not whole_communities(user):
        return None
    rows = PopulationFact.objects.visible_to(user)
    day = rows.aggregate(day=Max("day"))["day"]
    if day is None or (today - day).days > 1:
        return None
    night = rows.filter(day=day)
    groups = (
        night.filter(tag_kind__isnull=True)
        .order_by()
        .values_list("birth_year", "sex", "residency")
        .annotate(total=Sum("n"))
    )
    tags = night.filter(tag_kind__isnull=False)
    if not sees_special_groups(user):
        tags = tags.filter(tag_kind__sensitive=False)
    named = (
        tags.order_by().values_list("tag_kind__name", "tag_kind__order").annotate(total=Sum("n"))
    )
    return StoredPopulation(
        counted_at=night.aggregate(at=Max("counted_at"))["at"],
        groups=[(y, s, r, int(n)) for y, s, r, n in groups],
        tags=[(name, order, int(n)) for name, order, n in named],
    )
