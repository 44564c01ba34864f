from typing import Any

import pytest

from civicgrid.participation.volunteers.testing import make_activity, make_team


@pytest.fixture
def team(city: Any) -> Any:
    return make_team(city.comm_a1)


@pytest.fixture
def activity(team: Any, users: Any) -> Any:
    """Tomorrow 09:00–11:00 at the centre of comm_a1's west grid, 500 m check-in radius."""
    return make_activity(team, users.cadre, lat=26.505, lng=106.705, places=2)
