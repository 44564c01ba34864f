"""The latest visit of each household and person, which the due list orders by, is kept as
visits are stored: a visit queued offline that arrives after a later one does not move it back,
bulk writers keep it with ``note_last_visits``, a ledger edit cannot overwrite it, and the
migration fills it from the visits already stored."""

import importlib
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from civicgrid.fieldwork.models import LastHouseholdVisit, LastPersonVisit, Visit
from civicgrid.fieldwork.selectors import due_visits
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person, weekly_rule
from civicgrid.fieldwork.visits import note_last_visits, visit_record
from civicgrid.registry.models import Household
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _last_visit_on(user: Any, person: Any) -> date | None:
    (row,) = [r for r in due_visits(user) if r.person_id == person.pk]
    return row.last_visit


def test_a_late_arriving_older_visit_does_not_move_the_last_visit_back(
    city: Any, users: RoleUsers
) -> None:
    weekly_rule(care_kind())
    person = tagged_person(city.grids["a1_west"], care_kind())
    newer = timezone.now() - timedelta(days=2)
    older = timezone.now() - timedelta(days=10)
    for at in (newer, older):  # the older one was queued on a phone that came online later
        visit_record(
            actor=users.worker, person=person, purpose="care", findings="见面", visited_at=at
        )
    assert LastPersonVisit.objects.get(pk=person.pk).visited_at == newer
    assert LastHouseholdVisit.objects.get(pk=person.household_id).visited_at == newer
    assert _last_visit_on(users.worker, person) == timezone.localdate(newer)


def test_bulk_written_visits_keep_the_latest_of_each(city: Any, users: RoleUsers) -> None:
    weekly_rule(care_kind())
    grid = city.grids["a1_west"]
    person = tagged_person(grid, care_kind())
    kept = timezone.now() - timedelta(days=3)
    LastPersonVisit.objects.create(person=person, visited_at=kept)
    visits = Visit.objects.bulk_create(
        Visit(
            worker=users.worker,
            grid=grid,
            grid_code=grid.code,
            person=person,
            household_id=person.household_id,
            visited_at=timezone.now() - timedelta(days=days),
            purpose="care",
            findings="见面",
        )
        for days in (20, 5, 12)
    )
    note_last_visits(visits)
    assert LastPersonVisit.objects.get(pk=person.pk).visited_at == kept  # later than all three
    household = LastHouseholdVisit.objects.get(pk=person.household_id)
    assert household.visited_at == max(v.visited_at for v in visits)  # none kept before


def test_a_ledger_edit_from_before_the_visit_keeps_it(city: Any, users: RoleUsers) -> None:
    weekly_rule(care_kind())
    person = tagged_person(city.grids["a1_west"], care_kind())
    assert person.household is not None
    read_before = Household.objects.get(pk=person.household.pk)
    at = timezone.now() - timedelta(days=1)
    visit_record(actor=users.worker, person=person, purpose="care", findings="见面", visited_at=at)
    read_before.number = "0042"
    read_before.save()
    assert _last_visit_on(users.worker, person) == timezone.localdate(at)


def test_the_migration_fills_them_from_the_stored_visits(city: Any, users: RoleUsers) -> None:
    weekly_rule(care_kind())
    person = tagged_person(city.grids["a1_west"], care_kind())
    times = [timezone.now() - timedelta(days=d) for d in (9, 4, 6)]
    for at in times:
        visit_record(
            actor=users.worker, person=person, purpose="care", findings="见面", visited_at=at
        )
    LastPersonVisit.objects.all().delete()
    LastHouseholdVisit.objects.all().delete()
    migration = importlib.import_module(
        "civicgrid.fieldwork.migrations.0010_last_visit_of_each_household_and_person"
    )
    migration.fill_from_visits(apps, SimpleNamespace(connection=connection))
    assert LastPersonVisit.objects.get(pk=person.pk).visited_at == max(times)
    assert LastHouseholdVisit.objects.get(pk=person.household_id).visited_at == max(times)
