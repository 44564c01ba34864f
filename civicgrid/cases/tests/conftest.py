from collections.abc import Iterator
from typing import Any

import pytest

from civicgrid.cases.models import Case
from civicgrid.core.worktime import clear_calendar_cache
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers


@pytest.fixture(autouse=True)
def _fresh_work_calendar() -> Iterator[None]:
    # Rolled-back calendar rows send no signal; never let them linger in the process cache.
    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def case(users: RoleUsers) -> Case:
    """A case reported by the grid worker of a1_west on behalf of the resident."""
    return report_case(users.worker, reporter=users.resident)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run callbacks queued with transaction.on_commit (notifications) inside the test."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
