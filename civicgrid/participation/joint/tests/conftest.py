from collections.abc import Iterator
from typing import Any

import pytest

from civicgrid.accounts.models import Department, User
from civicgrid.cases.models import Case
from civicgrid.core.worktime import clear_calendar_cache
from civicgrid.participation.joint.testing import department_with_handler, to_street
from civicgrid.testing.cases import report_case


@pytest.fixture(autouse=True)
def _fresh_work_calendar() -> Iterator[None]:
    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def zjj(city: Any) -> tuple[Department, User]:
    """A second department of the district (住建局) with its handler."""
    return department_with_handler("zjj", "住建局", city.district.code)


@pytest.fixture
def far_dept(db: Any) -> tuple[Department, User]:
    """A department of another district: it serves none of the test city's streets."""
    return department_with_handler("far", "外区水务局", "520103")


@pytest.fixture
def waiting_case(users: Any) -> Case:
    """A case of grid a1_west routed up to the street, waiting for dispatch."""
    case = report_case(users.worker, reporter=users.resident)
    return to_street(case, secretary=users.secretary)
