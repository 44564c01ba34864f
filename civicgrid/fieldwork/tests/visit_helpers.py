"""People, tags and rules the visit tests share: a tagged person in the worker's grid."""

from __future__ import annotations

from datetime import date
from typing import Any

from civicgrid.fieldwork.models import VisitRule
from civicgrid.registry.choices import TagGroup
from civicgrid.registry.models import Person, PersonTag, TagKind
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
)


def care_kind(code: str = "visit-care", name: str = "独居老人") -> TagKind:
    kind, _ = TagKind.objects.get_or_create(
        code=code, defaults={"name": name, "group": TagGroup.CARE, "sensitive": False}
    )
    return kind


def weekly_rule(kind: TagKind, days: int = 7, min_level: int | None = None) -> VisitRule:
    return VisitRule.objects.create(tag_kind=kind, interval_days=days, min_level=min_level)


def tagged_person(
    grid: Any,
    kind: TagKind,
    *,
    name: str = "李奶奶",
    started_on: date = date(2026, 1, 5),
    attributes: dict[str, Any] | None = None,
) -> Person:
    dwelling = make_dwelling(make_building(grid, f"{name}巷1号"), "101")
    household = make_household(dwelling)
    person = make_person(grid, name=name, household=household, dwelling=dwelling)
    PersonTag.objects.create(
        person=person,
        kind=kind,
        grid=grid,
        grid_code=grid.code,
        attributes=attributes or {},
        started_on=started_on,
    )
    return person
