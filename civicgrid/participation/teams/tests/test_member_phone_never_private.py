"""A department member added without a work phone shows the department's public number, never
the phone on their own account (the portal publishes team phones)."""

from typing import Any

import pytest

from civicgrid.participation.teams import services
from civicgrid.participation.teams.choices import TeamRole

pytestmark = pytest.mark.django_db


def test_no_work_phone_falls_back_to_the_department_not_the_account(city: Any, users: Any) -> None:
    users.department.phone = "13800001111"
    users.department.save()
    users.dept.phone = "0851-86801234"
    users.dept.save()
    member = services.team_member_add(
        actor=users.secretary,
        grid=city.grids["a1_west"],
        role=TeamRole.POLICE,
        user=users.department,
    )
    assert member.work_phone == "085186801234"  # stored normalised
    assert "13800001111" not in member.work_phone
