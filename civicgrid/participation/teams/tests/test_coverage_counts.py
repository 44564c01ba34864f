"""Coverage counts households with / without a party member's link and with / without a
recent contact, per grid, and lists the uncovered ones; the export is audited and formulas
stay text."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from civicgrid.core.models import AuditEntry
from civicgrid.participation.teams import selectors, services
from civicgrid.participation.teams.choices import ContactWay
from civicgrid.participation.teams.testing import make_party_member
from civicgrid.registry.tests.factories import make_building, make_dwelling, make_household

pytestmark = pytest.mark.django_db


def _households(grid: Any, n: int) -> list[Any]:
    building = make_building(grid, "=HYPERLINK(1)")
    return [make_household(make_dwelling(building), number=f"H{i}") for i in range(n)]


def test_counts_per_grid_and_uncovered_list(city: Any, users: Any) -> None:
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    hw = _households(west, 3)
    he = _households(east, 2)
    member = make_party_member(west, by=users.secretary)
    links = [
        services.household_link(actor=users.secretary, party_member=member, household=h)
        for h in (hw[0], hw[1], he[0])
    ]
    today = timezone.localdate()
    services.contact_record(
        actor=users.secretary,
        link=links[0],
        contacted_on=today - timedelta(days=5),
        way=ContactWay.VISIT,
        note="走访",
    )
    services.contact_record(
        actor=users.secretary,
        link=links[2],
        contacted_on=today - timedelta(days=200),
        way=ContactWay.PHONE,
        note="电话",
    )
    found = selectors.coverage(users.secretary, days=90)
    rows = {r["grid_code"]: r for r in found.rows}
    assert (
        rows[west.code]["total"],
        rows[west.code]["with_link"],
        rows[west.code]["with_contact"],
    ) == (3, 2, 1)
    assert (
        rows[east.code]["total"],
        rows[east.code]["with_link"],
        rows[east.code]["with_contact"],
    ) == (2, 1, 0)
    assert found.totals == {
        "total": 5,
        "with_link": 3,
        "without_link": 2,
        "with_contact": 1,
        "without_contact": 4,
    }
    assert hw[0].pk not in {h.pk for h in found.uncovered}
    assert {h.pk for h in found.uncovered} == {hw[1].pk, hw[2].pk, he[0].pk, he[1].pk}
    # The grid worker of the west grid counts only their grid.
    assert [r["grid_code"] for r in selectors.coverage(users.worker, days=90).rows] == [west.code]
    assert selectors.coverage(users.outsider, days=90).rows == []


def test_export_is_audited_and_cells_are_text(city: Any, users: Any) -> None:
    _households(city.grids["a1_west"], 1)
    client = Client()
    client.force_login(users.secretary)
    response = client.get("/teams/party/coverage.xlsx?days=30")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for row in book["未覆盖住户"].iter_rows(values_only=True) for c in row]
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)
    assert AuditEntry.objects.filter(action="ledger_export", actor=users.secretary).exists()


def test_coverage_page_bad_input_is_400(users: Any) -> None:
    client = Client()
    client.force_login(users.secretary)
    assert client.get("/teams/party/coverage/?days=abc").status_code == 400
    assert client.get("/api/v1/participation/teams/coverage?days=0").status_code == 422
