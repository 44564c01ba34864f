"""``overdue_counts`` counts in the database what ``due_visits`` lists row by row: for a mix of
risk levels, rented and owned homes, visits just before and just after each cutoff, and several
days, the counts per grid are the list's overdue rows per grid."""

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.fieldwork.models import Visit, VisitRule
from civicgrid.fieldwork.selectors import due_visits, overdue_counts
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person, weekly_rule
from civicgrid.registry.choices import HouseholdKind, Occupancy
from civicgrid.registry.models import Household, PersonTag
from civicgrid.registry.tests.factories import make_building, make_dwelling, make_household
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _visit(users: RoleUsers, at: datetime, **target: Any) -> None:
    grid = (target.get("person") or target["household"]).grid
    Visit.objects.create(
        worker=users.worker,
        grid=grid,
        grid_code=grid.code,
        purpose="care",
        findings="见面",
        visited_at=at,
        **target,
    )


def _local(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def _listed(user: Any, today: date) -> dict[str, int]:
    return dict(Counter(r.grid_code for r in due_visits(user, today=today) if r.days_overdue > 0))


def test_counts_equal_the_due_lists_overdue_rows(city: Any, users: RoleUsers) -> None:
    VisitRule.objects.all().delete()
    VisitRule.objects.create(household_type="rented", interval_days=30)
    VisitRule.objects.create(household_type="floating", interval_days=90)
    kind = care_kind("visit-risk", "重点关注")
    weekly_rule(kind, days=30)
    weekly_rule(kind, days=7, min_level=3)
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    start = date(2026, 3, 1)
    people = [
        tagged_person(west, kind, name="高风险", started_on=start, attributes={"risk_level": 4}),
        tagged_person(west, kind, name="低风险", started_on=start, attributes={"risk_level": 1}),
        tagged_person(east, kind, name="无等级", started_on=start),
        tagged_person(east, kind, name="刚登记", started_on=date(2026, 3, 28)),
    ]
    # A second tag on the same person is a second row.
    PersonTag.objects.create(
        person=people[2],
        kind=care_kind(),
        grid=east,
        grid_code=east.code,
        started_on=start,
    )
    weekly_rule(care_kind(), days=14)
    homes = []
    for number, (grid, occupancy, kind_) in enumerate(
        [
            (west, Occupancy.RENTED, HouseholdKind.REGISTERED),
            (west, Occupancy.OWNER, HouseholdKind.FLOATING),
            (east, Occupancy.OWNER, HouseholdKind.REGISTERED),  # no rule
            (east, Occupancy.RENTED, HouseholdKind.FLOATING),  # the stricter, 30 days
        ]
    ):
        building = make_building(grid, f"幸福路{number}号")
        home = make_household(make_dwelling(building, occupancy=occupancy))
        Household.objects.filter(pk=home.pk).update(
            kind=kind_, created_at=_local(date(2026, 2, 20), 10)
        )
        homes.append(home)
    # Visits straddling the cutoffs of 2026-04-10 (7 days: 04-03; 30 days: 03-11).
    _visit(users, _local(date(2026, 4, 2), 23), person=people[0])
    _visit(users, _local(date(2026, 3, 11), 0), person=people[1])
    _visit(users, _local(date(2026, 3, 10), 23), household=homes[0])
    # Visited before being tagged: the last visit, not the later start, sets the due day.
    _visit(users, _local(date(2026, 3, 5), 10), person=people[3])
    _visit(users, _local(date(2026, 3, 11), 9), household=homes[3])

    for today in [date(2026, 3, 5), date(2026, 4, 3), date(2026, 4, 10), date(2026, 6, 30)]:
        expected = _listed(users.secretary, today)
        assert overdue_counts(users.secretary, today=today) == expected, today
    assert sum(_listed(users.secretary, date(2026, 4, 10)).values()) >= 3


def test_a_grid_worker_counts_only_their_grid(city: Any, users: RoleUsers) -> None:
    kind = care_kind()
    weekly_rule(kind)
    tagged_person(city.grids["a1_west"], kind, started_on=date(2026, 3, 1))
    tagged_person(city.grids["b1"], kind, name="别区", started_on=date(2026, 3, 1))
    counts = overdue_counts(users.worker, today=date(2026, 3, 20))
    assert counts == {city.grids["a1_west"].code: 1}
