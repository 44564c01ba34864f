"""Visit rules per household type (issue 9 part 4): a rule can name a household type instead of
a tag kind. A household in a rented flat (出租户) is due monthly from its registration, a visit
to anyone of it resets the clock, the stricter of two fitting rules wins, households outside
the worker's grid stay off the list, and the due page offers a visit to the household."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from civicgrid.fieldwork.choices import HouseholdType
from civicgrid.fieldwork.models import VisitRule
from civicgrid.fieldwork.selectors import due_visits, overdue_counts
from civicgrid.fieldwork.visits import visit_record
from civicgrid.registry.choices import HouseholdKind, Occupancy
from civicgrid.registry.models import Household
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
)
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _rules(**intervals: int) -> None:
    """Only the given household-type rules (the seeded defaults replaced)."""
    VisitRule.objects.all().delete()
    for household_type, days in intervals.items():
        VisitRule.objects.create(household_type=household_type, interval_days=days)


def _household(
    grid: Any, *, occupancy: str, kind: str = HouseholdKind.REGISTERED, address: str = "幸福路8号"
) -> Household:
    dwelling = make_dwelling(make_building(grid, address), "302", occupancy=occupancy)
    household = make_household(dwelling, kind=kind)
    registered = timezone.make_aware(datetime(2026, 3, 1, 10, 0))
    Household.objects.filter(pk=household.pk).update(created_at=registered)
    household.refresh_from_db()
    return household


def test_the_rented_household_rule_is_seeded_monthly() -> None:
    rule = VisitRule.objects.get(household_type=HouseholdType.RENTED)
    assert rule.tag_kind is None and rule.interval_days == 30


def test_a_rented_household_is_due_monthly_from_its_registration(
    city: Any, users: RoleUsers
) -> None:
    _rules(rented=30)
    grid = city.grids["a1_west"]
    rented = _household(grid, occupancy=Occupancy.RENTED)
    _household(
        grid, occupancy=Occupancy.OWNER, address="幸福路9号"
    )  # no rule for an owner-occupied flat
    [row] = due_visits(users.worker, today=date(2026, 4, 10))
    assert (row.target, row.household_id, row.person_id) == ("household", rented.pk, None)
    assert row.tag_kind == "出租户"
    assert row.label == "幸福路8号 1单元302"
    assert row.due_on == date(2026, 3, 31)
    assert row.days_overdue == 10
    assert overdue_counts(users.worker, today=date(2026, 4, 10)) == {grid.code: 1}


def test_a_visit_to_someone_of_the_household_resets_its_clock(city: Any, users: RoleUsers) -> None:
    _rules(rented=30)
    grid = city.grids["a1_west"]
    rented = _household(grid, occupancy=Occupancy.RENTED)
    tenant = make_person(grid, name="租客甲", household=rented, dwelling=rented.dwelling)
    visit_record(
        actor=users.worker,
        person=tenant,
        purpose="verify",
        findings="租住人员信息已核实",
        visited_at=timezone.now() - timedelta(days=10),
    )
    [row] = due_visits(users.worker)
    today = timezone.localdate()
    assert row.last_visit == today - timedelta(days=10)
    assert row.due_on == today + timedelta(days=20)


def test_the_stricter_of_two_fitting_rules_wins(city: Any, users: RoleUsers) -> None:
    _rules(rented=30, floating=14)
    migrants = _household(city.grids["a1_west"], occupancy=Occupancy.RENTED, kind="floating")
    [row] = due_visits(users.worker, today=date(2026, 4, 10))
    assert row.household_id == migrants.pk
    assert (row.interval_days, row.tag_kind) == (14, "流动户")


def test_households_outside_the_workers_grid_are_not_listed(city: Any, users: RoleUsers) -> None:
    _rules(rented=30)
    elsewhere = _household(city.grids["b1"], occupancy=Occupancy.RENTED)
    assert due_visits(users.worker, today=date(2026, 4, 10)) == []
    # The worker of that grid (another street) has it.
    [row] = due_visits(users.outsider, today=date(2026, 4, 10))
    assert row.household_id == elsewhere.pk


def test_a_retired_household_rule_no_longer_applies(city: Any, users: RoleUsers) -> None:
    _rules(rented=30)
    VisitRule.objects.update(retired_on=date(2026, 4, 1))
    _household(city.grids["a1_west"], occupancy=Occupancy.RENTED)
    assert due_visits(users.worker, today=date(2026, 4, 10)) == []


def test_a_rule_targets_a_tag_kind_or_a_household_type_never_both_nor_neither() -> None:
    with pytest.raises(ValidationError):
        VisitRule(interval_days=7).full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        VisitRule.objects.create(interval_days=7)


def test_the_due_page_offers_a_visit_to_the_household(
    client: Any, city: Any, users: RoleUsers
) -> None:
    _rules(rented=30)
    rented = _household(city.grids["a1_west"], occupancy=Occupancy.RENTED)
    client.force_login(users.worker)
    html = client.get("/fieldwork/visits/").content.decode()
    assert "出租户" in html and "幸福路8号 1单元302" in html
    assert f"/fieldwork/visits/new/?household={rented.pk}" in html
    assert client.get(f"/fieldwork/visits/new/?household={rented.pk}").status_code == 200
