"""The due list costs the same few queries for 2 tagged people as for 12 (no per-person
query): the rules, the tags' kinds and levels, and one per visit interval (the weekly care
rule, and the seeded rented and floating household rules)."""

from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.fieldwork.selectors import due_visits
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person, weekly_rule
from civicgrid.fieldwork.visits import visit_record
from civicgrid.testing.users import RoleUsers


def _count(users: RoleUsers) -> tuple[int, int]:
    due_visits(users.worker)  # warm the user's cached scope and permissions
    with CaptureQueriesContext(connection) as ctx:
        rows = due_visits(users.worker, today=date(2026, 6, 1))
    return len(ctx.captured_queries), len(rows)


def test_due_list_queries_do_not_grow(city: Any, users: RoleUsers) -> None:
    kind = care_kind()
    weekly_rule(kind)
    grid = city.grids["a1_west"]
    for i in range(2):
        person = tagged_person(grid, kind, name=f"甲{i}")
        visit_record(actor=users.worker, person=person, purpose="care", findings="良好")
    small, small_rows = _count(users)
    for i in range(10):
        tagged_person(grid, kind, name=f"乙{i}")
    big, big_rows = _count(users)
    assert (small_rows, big_rows) == (2, 12)
    assert big == small <= 5
