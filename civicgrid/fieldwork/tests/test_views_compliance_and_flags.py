"""The day's 一日双巡 list and the supervision flags: supervisors only, filtered by jurisdiction."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.fieldwork.choices import ComplianceStatus
from civicgrid.fieldwork.tests.page_helpers import make_flag, make_patrol, make_verdict
from civicgrid.testing.users import make_user

DAY = date(2026, 5, 6)


@pytest.fixture
def day_rows(users: Any, city: Any) -> None:
    make_verdict(users.worker, city.grids["a1_west"], DAY)
    make_verdict(users.outsider, city.grids["b1"], DAY, ComplianceStatus.NONE)


@pytest.mark.django_db
def test_secretary_sees_own_community_with_counts(client: Any, users: Any, day_rows: None) -> None:
    client.force_login(users.secretary)
    response = client.get("/fieldwork/compliance/?day=2026-05-06")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"/fieldwork/calendar/{users.worker.pk}/?month=2026-05" in body
    assert "outsider" not in body
    counts = {c["status"]: c["count"] for c in response.context["counts"]}
    assert counts[ComplianceStatus.COMPLIANT] == 1
    assert counts[ComplianceStatus.NONE] == 0
    assert response.context["total"] == 1


@pytest.mark.django_db
def test_status_filter_and_bad_day(client: Any, users: Any, day_rows: None) -> None:
    client.force_login(users.command)
    response = client.get("/fieldwork/compliance/?day=2026-05-06&status=none")
    assert response.context["rows"] == []
    response = client.get("/fieldwork/compliance/?day=2026-02-31&status=<b>")
    assert response.status_code == 200
    assert "日期格式应为" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/fieldwork/compliance/", "/fieldwork/flags/", "/fieldwork/onduty/"]
)
@pytest.mark.parametrize("role", ["worker", "outsider", "auditor", "resident", "department"])
def test_supervisor_pages_refuse_other_roles(client: Any, users: Any, url: str, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_flags_of_the_jurisdiction(client: Any, users: Any, city: Any) -> None:
    mine = make_patrol(users.worker, city.grids["a1_west"])
    make_flag(mine, "甲街道的跳变")
    theirs = make_patrol(users.outsider, city.grids["b1"])
    make_flag(theirs, "乙街道的跳变")
    client.force_login(users.command)
    body = client.get("/fieldwork/flags/").content.decode()
    assert "甲街道的跳变" in body and "乙街道的跳变" not in body
    assert f"/fieldwork/patrols/{mine.pk}/" in body
    other = make_user("command_b", Role.COMMAND, city.street_b.code)
    client.force_login(other)
    body = client.get("/fieldwork/flags/").content.decode()
    assert "甲街道的跳变" not in body and "乙街道的跳变" in body


@pytest.mark.django_db
def test_flags_span_is_bounded_and_bad_dates_are_told(client: Any, users: Any) -> None:
    client.force_login(users.command)
    today = timezone.localdate()
    response = client.get(f"/fieldwork/flags/?from={today - timedelta(days=400)}&to={today}")
    assert response.status_code == 200
    assert response.context["day_from"] == today - timedelta(days=92)
    response = client.get("/fieldwork/flags/?from=yesterday&to=2026-99-01")
    assert response.status_code == 200
    assert "日期格式应为" in response.content.decode()


@pytest.mark.django_db
def test_onduty_page_names_the_api(client: Any, users: Any) -> None:
    client.force_login(users.command)
    response = client.get("/fieldwork/onduty/?day=2026-05-06")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-api="/api/v1/fieldwork/"' in body and 'data-day="2026-05-06"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30"])
@pytest.mark.parametrize(
    "url", ["/fieldwork/compliance/?day=", "/fieldwork/flags/?to=", "/fieldwork/onduty/?day="]
)
def test_days_at_the_edge_of_the_calendar_are_told_not_crashed(
    client: Any, users: Any, url: str, day: str
) -> None:
    client.force_login(users.command)
    response = client.get(url + day)
    assert response.status_code == 200
    assert "日期格式应为" in response.content.decode()


@pytest.mark.django_db
def test_day_list_opens_on_yesterday_whose_verdicts_exist(client: Any, users: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(users.command)
    response = client.get("/fieldwork/compliance/")
    assert response.context["day"] == timezone.localdate() - timedelta(days=1)
