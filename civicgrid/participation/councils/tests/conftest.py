from typing import Any

import pytest

from civicgrid.participation.councils.models import Council
from civicgrid.participation.councils.testing import make_council


@pytest.fixture
def council(city: Any, users: Any) -> Council:
    return make_council(city.comm_a1.code, members=5, threshold=3)
