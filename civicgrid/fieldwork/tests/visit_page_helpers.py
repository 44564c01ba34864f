"""People due a visit, made by hand for the visit page tests: a household in grid a1_west (the
worker's), a care tag with a rule, and visits written directly so a page test does not depend
on the service's rules (those have their own tests)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from civicgrid.fieldwork.choices import VisitPurpose
from civicgrid.fieldwork.models import Visit, VisitRule
from civicgrid.registry.choices import TagGroup
from civicgrid.registry.models import Person, PersonTag, TagKind
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
)


def page_care_kind(interval_days: int = 7) -> TagKind:
    kind, _ = TagKind.objects.get_or_create(
        code="page-test-alone",
        defaults={"name": "独居老人", "group": TagGroup.CARE, "sensitive": False},
    )
    VisitRule.objects.get_or_create(tag_kind=kind, defaults={"interval_days": interval_days})
    return kind


def due_person(grid: Any, name: str, *, tagged_days_ago: int) -> Person:
    """A person of ``grid`` in their own household, tagged 独居老人 ``tagged_days_ago``."""
    household = make_household(make_dwelling(make_building(grid, f"{name}家")))
    person = make_person(grid, name=name, household=household, dwelling=household.dwelling)
    PersonTag.objects.create(
        person=person,
        kind=page_care_kind(),
        grid=grid,
        grid_code=grid.code,
        started_on=timezone.localdate() - timedelta(days=tagged_days_ago),
    )
    return person


def make_visit(
    worker: Any, person: Person, *, days_ago: int = 1, findings: str = "身体尚好"
) -> Visit:
    return Visit.objects.create(
        worker=worker,
        grid=person.grid,
        grid_code=person.grid_code,
        household=person.household,
        person=person,
        visited_at=timezone.now() - timedelta(days=days_ago),
        purpose=VisitPurpose.CARE,
        findings=findings,
    )
