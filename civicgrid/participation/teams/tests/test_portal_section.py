"""The community page shows the public part of the team: department staff by name, role and
work phone; community people by role and masked name; never a private phone, never ledger
data; hostile names stay text."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civicgrid.participation.teams.choices import TeamRole
from civicgrid.participation.teams.testing import add_community_member
from civicgrid.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db

HOSTILE = "<script>x</script>"


def test_portal_section_is_public_data_only(team: dict[str, Any], users: Any, city: Any) -> None:
    grid = team["grid"]
    person = make_person(grid, name="钱志愿", phone="13712345678")
    add_community_member(
        grid, "", by=users.secretary, role=TeamRole.VOLUNTEER, person=person.pk, work_phone=""
    )
    add_community_member(grid, "孙隐藏", by=users.secretary, public=False)
    add_community_member(grid, HOSTILE, by=users.secretary, role=TeamRole.PARTY)
    body = Client().get(f"/community/{city.comm_a1.code}/").content.decode()
    assert "网格服务团队" in body
    assert "dept" in body and "085186001110" in body  # staff: name and work phone
    assert "赵**" in body and "赵楼长" not in body  # community people: masked name
    assert "13900001111" not in body  # a community member's phone is never public
    assert "钱**" in body and "13712345678" not in body and "137****5678" not in body
    assert "孙" not in body  # not flagged public
    assert HOSTILE not in body and "&lt;*" in body  # masked and escaped
