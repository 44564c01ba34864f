"""The panels cached for a few minutes are cached per jurisdiction: a community secretary
asking after the street's command centre gets their community's figures, not the street's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.rollup import summarise
from civicgrid.dashboard.screen import screen_data
from civicgrid.testing.cases import case_category
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers, make_user


@pytest.mark.django_db
def test_cached_panels_follow_the_viewer(city: TestCity, users: RoleUsers) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    for key, value in (("a1_west", 3), ("a2", 5), ("b1", 11)):
        for measure in ("reported", "evaluated", "satisfied"):
            DailyFact.objects.create(
                day=yesterday,
                region_code=city.grids[key].code,
                measure=measure,
                value=value,
                category=case_category() if measure == "reported" else None,
            )
    summarise()  # as the rollup does after writing facts
    command_b = make_user("command_b", Role.COMMAND, city.street_b.code)
    seen: dict[str, list[tuple[int, int, list[str]]]] = {}
    # No cache.clear() between viewers: that is the point.
    for who in (users.command, users.secretary, command_b, users.command):
        panels = screen_data(who)["panels"]
        seen.setdefault(who.username, []).append(
            (
                sum(panels["trend"]["series"][0]["values"]),
                panels["categories"]["rows"][0]["value"],
                sorted(panels["map"]["grids"]),
            )
        )
    street_a = [city.grids["a1_west"].code, city.grids["a2"].code]
    assert seen["command"] == [(8, 8, street_a)] * 2
    assert seen["secretary"] == [(3, 3, [city.grids["a1_west"].code])]
    assert seen["command_b"] == [(11, 11, [city.grids["b1"].code])]
