"""一日双巡 calendar: own month for the worker, a worker's month for supervisors of their grid."""

from datetime import date
from typing import Any

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.fieldwork.choices import ComplianceStatus
from civicgrid.fieldwork.tests.page_helpers import make_verdict
from civicgrid.testing.users import make_user


@pytest.fixture
def verdicts(users: Any, city: Any) -> None:
    grid = city.grids["a1_west"]
    make_verdict(users.worker, grid, date(2026, 5, 6))
    make_verdict(users.worker, grid, date(2026, 5, 7), ComplianceStatus.ONE_ONLY)


@pytest.mark.django_db
def test_worker_month_is_coloured_by_verdict(client: Any, users: Any, verdicts: None) -> None:
    client.force_login(users.worker)
    response = client.get("/fieldwork/calendar/?month=2026-05")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'st-compliant" data-day="2026-05-06"' in body
    assert 'st-one_only" data-day="2026-05-07"' in body
    assert "?month=2026-04" in body and "?month=2026-06" in body


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["2026-13", "abc", "99999-01", "2026-05-01"])
def test_bad_month_shows_this_month_with_a_warning(client: Any, users: Any, month: str) -> None:
    client.force_login(users.worker)
    response = client.get(f"/fieldwork/calendar/?month={month}")
    assert response.status_code == 200
    assert "月份格式应为" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["secretary", "command"])
def test_supervisor_reads_a_workers_month(
    client: Any, users: Any, verdicts: None, role: str
) -> None:
    client.force_login(getattr(users, role))
    response = client.get(f"/fieldwork/calendar/{users.worker.pk}/?month=2026-05")
    assert response.status_code == 200
    assert 'st-compliant" data-day="2026-05-06"' in response.content.decode()


@pytest.mark.django_db
def test_worker_of_another_jurisdiction_is_404(client: Any, users: Any, city: Any) -> None:
    other = make_user("secretary_b", Role.SECRETARY, city.comm_b1.code)
    client.force_login(other)
    assert client.get(f"/fieldwork/calendar/{users.worker.pk}/").status_code == 404
    # Somebody who is not a grid worker has no calendar: the same answer as a stranger.
    client.force_login(users.secretary)
    assert client.get(f"/fieldwork/calendar/{users.cadre.pk}/").status_code == 404
    assert client.get("/fieldwork/calendar/999999/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["worker", "outsider", "auditor", "resident"])
def test_others_calendars_are_for_supervisors(client: Any, users: Any, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.get(f"/fieldwork/calendar/{users.worker.pk}/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["command", "auditor", "resident"])
def test_own_calendar_is_for_grid_workers(client: Any, users: Any, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.get("/fieldwork/calendar/").status_code == 403
