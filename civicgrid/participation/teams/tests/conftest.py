from __future__ import annotations

from typing import Any

import pytest

from civicgrid.participation.teams.testing import add_community_member, add_department_member


@pytest.fixture
def team(city: Any, users: Any) -> dict[str, Any]:
    """Grid a1_west's team: the department account as 民警, a 楼栋长 from the community."""
    grid = city.grids["a1_west"]
    return {
        "grid": grid,
        "police": add_department_member(grid, users.department, by=users.secretary),
        "head": add_community_member(grid, "赵楼长", by=users.secretary),
    }
