"""A street's or wider population panel reads last night's counts per community
(assessment.population): the same figures the live count gives for that night, special groups
still only for those allowed to see them; a community, a stale night or a jurisdiction that is
not whole communities is counted live."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from civicgrid.accounts.models import Scope
from civicgrid.assessment.population import record_population
from civicgrid.dashboard.tests.test_screen_population import NOW, people, population
from civicgrid.registry.choices import Sex
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

__all__ = ["people"]  # the fixture, shared with the live panel's tests

pytestmark = pytest.mark.django_db

FIGURES = ("total", "bands", "male", "female", "unknown_age", "residency", "groups")


def _figures(panel: dict[str, Any]) -> dict[str, Any]:
    return {k: panel[k] for k in FIGURES}


def _late_arrivals(city: TestCity) -> None:
    for i in range(6):
        make_person(city.grids["a1_west"], f"新来{i}", id_number="", sex=Sex.MALE)


def test_a_street_reads_the_nights_figures(city: TestCity, users: RoleUsers, people: Any) -> None:
    live = population(users.command)
    record_population(NOW.date())
    _late_arrivals(city)  # after the night: not in its figures
    cache.clear()
    stored = population(users.command)
    assert stored["night"] is True
    assert _figures(stored) == _figures(live)
    assert stored["total"] == {"value": 12, "display": "12"}


def test_special_groups_from_the_night_only_with_the_permission(
    users: RoleUsers, people: Any
) -> None:
    record_population(NOW.date())
    cache.clear()
    groups = {g["label"] for g in population(users.command)["groups"]}
    assert groups == {"独居老人"}
    users.command.user_permissions.add(Permission.objects.get(codename="view_special_groups"))
    allowed = type(users.command).objects.get(pk=users.command.pk)
    panel = population(allowed)
    assert panel["night"] is True
    assert {g["label"] for g in panel["groups"]} == {"独居老人", "吸毒人员"}


def test_a_community_is_counted_live(city: TestCity, users: RoleUsers, people: Any) -> None:
    record_population(NOW.date())
    _late_arrivals(city)
    cache.clear()
    panel = population(users.secretary)
    assert "night" not in panel
    assert panel["total"]["value"] == 18


def test_a_stale_night_is_not_read(city: TestCity, users: RoleUsers, people: Any) -> None:
    record_population(NOW.date() - timedelta(days=3))
    _late_arrivals(city)
    cache.clear()
    panel = population(users.command)
    assert "night" not in panel
    assert panel["total"]["value"] == 18


def test_a_jurisdiction_holding_a_single_grid_is_counted_live(
    city: TestCity, users: RoleUsers, people: Any
) -> None:
    # A street and one grid of another street: the night's communities would miss or
    # overcount that grid, so the panel counts.
    Scope.objects.create(user=users.command, code=city.grids["b1"].code)
    command = type(users.command).objects.get(pk=users.command.pk)
    record_population(NOW.date())
    _late_arrivals(city)
    cache.clear()
    panel = population(command)
    assert "night" not in panel
    assert panel["total"]["value"] == 19  # 18 in street a and the one in grid b1
