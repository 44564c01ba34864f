"""The 待走访 page asks for the first rows only, and the database cuts each visit interval's
rows there: the first ``k`` rows must be exactly the first ``k`` of the whole list, also when
rows tie on due day and grid and their labels sort against their ids."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.fieldwork.models import Visit, VisitRule
from civicgrid.fieldwork.selectors import due_visits
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person, weekly_rule
from civicgrid.registry.choices import Occupancy
from civicgrid.registry.models import Household
from civicgrid.registry.tests.factories import make_building, make_dwelling, make_household
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 10)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))


def test_first_rows_are_the_whole_lists_first_rows(city: Any, users: RoleUsers) -> None:
    VisitRule.objects.all().delete()
    VisitRule.objects.create(household_type="rented", interval_days=30)
    weekly = care_kind()
    weekly_rule(weekly)
    monthly = care_kind("visit-poor", "低保对象")
    weekly_rule(monthly, days=30)
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    # Created in the reverse of their names' order, all due the same day in the same grid:
    # the database's id order would cut the wrong ones.
    for name in ["王5", "王4", "王3", "王2", "王1"]:
        tagged_person(west, weekly, name=name, started_on=date(2026, 3, 20))
    tagged_person(east, weekly, name="早登记", started_on=date(2026, 3, 1))
    visited = tagged_person(west, monthly, name="上月走访", started_on=date(2026, 1, 1))
    Visit.objects.create(
        worker=users.worker,
        grid=west,
        grid_code=west.code,
        person=visited,
        purpose="care",
        findings="见面",
        visited_at=_at(date(2026, 3, 2)),
    )
    for number in [3, 2, 1]:
        home = make_household(
            make_dwelling(make_building(west, f"出租楼{number}号"), occupancy=Occupancy.RENTED)
        )
        Household.objects.filter(pk=home.pk).update(created_at=_at(date(2026, 3, 1)))

    whole = due_visits(users.secretary, today=TODAY)
    labels = [r.label.split()[0] for r in whole]
    assert labels == [
        "早登记", "王1", "王2", "王3", "王4", "王5", "出租楼1号", "出租楼2号", "出租楼3号", "上月走访"
    ]  # fmt: skip
    assert whole[-1].last_visit == date(2026, 3, 2) and whole[-1].days_overdue == 9
    for k in range(1, len(whole) + 1):
        assert due_visits(users.secretary, today=TODAY, limit=k) == whole[:k], k
