"""Visit rules decide when a tagged person is due: never visited → due from the tag's start
plus the interval; visited 3 days ago on a weekly rule → due in 4 days; a risk-level rule beats
a general one of the same kind (the shortest interval that fits wins)."""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from civicgrid.fieldwork.models import Visit
from civicgrid.fieldwork.selectors import due_visits, overdue_counts
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person, weekly_rule
from civicgrid.fieldwork.visits import visit_record
from civicgrid.testing.users import RoleUsers


def test_never_visited_is_due_from_the_tag_start(city: Any, users: RoleUsers) -> None:
    kind = care_kind()
    weekly_rule(kind)
    person = tagged_person(city.grids["a1_west"], kind, started_on=date(2026, 3, 1))
    [row] = due_visits(users.worker, today=date(2026, 3, 20))
    assert row.person_id == person.pk
    assert row.last_visit is None
    assert row.due_on == date(2026, 3, 8)
    assert row.days_overdue == 12
    assert overdue_counts(users.worker, today=date(2026, 3, 20)) == {person.grid_code: 1}


def test_visited_three_days_ago_is_due_in_four_days(city: Any, users: RoleUsers) -> None:
    kind = care_kind()
    weekly_rule(kind)
    person = tagged_person(city.grids["a1_west"], kind)
    visit_record(
        actor=users.worker,
        person=person,
        purpose="care",
        findings="身体状况良好",
        visited_at=timezone.now() - timedelta(days=3),
    )
    [row] = due_visits(users.worker)
    today = timezone.localdate()
    assert row.last_visit == today - timedelta(days=3)
    assert row.due_on == today + timedelta(days=4)
    assert row.days_overdue == -4
    assert overdue_counts(users.worker) == {}


def test_risk_level_rule_beats_the_general_one(city: Any, users: RoleUsers) -> None:
    kind = care_kind("visit-risk", "重点关注")
    weekly_rule(kind, days=30)
    weekly_rule(kind, days=7, min_level=3)
    grid = city.grids["a1_west"]
    high = tagged_person(grid, kind, name="高风险", attributes={"risk_level": 4})
    low = tagged_person(grid, kind, name="低风险", attributes={"risk_level": 1})
    rows = {r.person_id: r for r in due_visits(users.worker, today=date(2026, 2, 1))}
    assert rows[high.pk].interval_days == 7
    assert rows[low.pk].interval_days == 30
    # Most overdue first.
    assert [r.person_id for r in due_visits(users.worker, today=date(2026, 2, 1))] == [
        high.pk,
        low.pk,
    ]


def test_retired_rules_and_dead_people_are_left_out(city: Any, users: RoleUsers) -> None:
    kind = care_kind()
    rule = weekly_rule(kind)
    person = tagged_person(city.grids["a1_west"], kind)
    rule.retired_on = date(2026, 1, 1)
    rule.save()
    assert due_visits(users.worker, today=date(2026, 2, 1)) == []
    assert not Visit.objects.filter(person=person).exists()
