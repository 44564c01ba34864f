"""The rules are data: the standard with the longest prefix of a grid's code applies, the
empty prefix is the city default, and a street's own thresholds change the verdict."""

from typing import Any

from civicgrid.fieldwork.choices import ComplianceStatus
from civicgrid.fieldwork.compliance import compliance_for_day
from civicgrid.fieldwork.models import DailyCompliance, PatrolStandard
from civicgrid.fieldwork.services import standard_for
from civicgrid.fieldwork.tests.walks import MONDAY, at, inside_walk, walk


def test_longest_prefix_wins(city: Any) -> None:
    street = PatrolStandard.objects.create(region_prefix=city.street_a.code, min_minutes=20)
    community = PatrolStandard.objects.create(region_prefix=city.comm_a1.code, min_minutes=45)
    assert standard_for(city.grids["a1_west"].code) == community
    assert standard_for(city.grids["a2"].code) == street
    assert standard_for(city.grids["b1"].code).region_prefix == ""


def test_a_streets_own_minimum_changes_the_verdict(city: Any, users: Any) -> None:
    walk(users.worker, inside_walk(at(9), minutes=25))
    walk(users.worker, inside_walk(at(15), minutes=25))
    compliance_for_day(MONDAY)
    row = DailyCompliance.objects.get(worker=users.worker)
    assert row.status == ComplianceStatus.TOO_SHORT  # the city default asks for 30 minutes
    PatrolStandard.objects.create(region_prefix=city.street_a.code, min_minutes=20)
    compliance_for_day(MONDAY)
    row.refresh_from_db()
    assert row.status == ComplianceStatus.COMPLIANT
