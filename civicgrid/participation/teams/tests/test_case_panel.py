"""The case page shows the team of the case's grid to staff (names, roles, work phones) and
never to the resident who reported it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.testing.cases import report_case

pytestmark = pytest.mark.django_db


def _page(user: Any, case: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_the_grid_team_on_the_case_page(team: dict[str, Any], users: Any) -> None:
    case = report_case(users.resident, channel=Channel.RESIDENT, description="路灯不亮")
    body = _page(users.secretary, case)
    assert 'id="grid-team"' in body
    assert "赵楼长" in body and "楼栋长" in body and "tel:13900001111" in body
    assert "css/teams.css" in body


def test_the_reporting_resident_does_not(team: dict[str, Any], users: Any) -> None:
    case = report_case(users.resident, channel=Channel.RESIDENT, description="路灯不亮")
    body = _page(users.resident, case)
    assert 'id="grid-team"' not in body and "赵楼长" not in body
