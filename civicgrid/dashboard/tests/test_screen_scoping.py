"""Who reaches the command-centre screen, and which jurisdiction its figures come from."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.rollup import summarise
from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case
from civicgrid.testing.cases import case_category
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers, make_user

TZ = ZoneInfo("Asia/Shanghai")
URL = "/screen/data.json"


def open_case(number: str, grid_code: str, *, due_hours_ago: float) -> Case:
    now = datetime.now(TZ)
    return Case.objects.create(
        number=number,
        channel=Channel.GRID_WORKER,
        category=case_category(),
        description="测试事件",
        grid_code=grid_code,
        stage="handle",
        status="handling",
        stage_started_at=now - timedelta(days=3),
        stage_due_at=now - timedelta(hours=due_hours_ago),
        reported_at=now - timedelta(days=3),
        updated_at=now,
    )


@pytest.fixture
def two_streets(city: TestCity) -> dict[str, Case]:
    """An overdue case in each of street a's grids and one in street b, plus a fact each."""
    cases = {
        key: open_case(f"S{i:04d}", city.grids[key].code, due_hours_ago=5)
        for i, key in enumerate(("a1_west", "a1_east", "a2", "b1"))
    }
    yesterday = datetime.now(TZ).date() - timedelta(days=1)
    for key in cases:
        DailyFact.objects.create(
            day=yesterday, region_code=city.grids[key].code, measure="reported", value=7
        )
    summarise()  # as the rollup does after writing facts
    return cases


@pytest.mark.django_db
def test_a_street_command_centre_sees_its_street_only(
    client: Any, city: TestCity, users: RoleUsers, two_streets: dict[str, Case]
) -> None:
    client.force_login(users.command)
    data = client.get(URL).json()["panels"]
    grids = set(data["map"]["grids"])
    assert grids == {city.grids[k].code for k in ("a1_west", "a1_east", "a2")}
    numbers = {row["number"] for row in data["overdue"]["rows"]}
    assert numbers == {two_streets[k].number for k in ("a1_west", "a1_east", "a2")}
    assert data["overdue"]["total"] == 3
    # Three grids' facts of 7 reports yesterday: street b's 7 are not in the trend.
    assert sum(data["trend"]["series"][0]["values"]) == 21


@pytest.mark.django_db
def test_a_secretary_sees_their_community_only(
    client: Any, city: TestCity, users: RoleUsers, two_streets: dict[str, Case]
) -> None:
    client.force_login(users.secretary)
    data = client.get(URL).json()["panels"]
    assert set(data["map"]["grids"]) == {city.grids["a1_west"].code, city.grids["a1_east"].code}
    assert data["overdue"]["total"] == 2
    assert sum(data["trend"]["series"][0]["values"]) == 14


@pytest.mark.django_db
def test_another_streets_command_centre_sees_nothing_of_street_a(
    client: Any, city: TestCity, users: RoleUsers, two_streets: dict[str, Case]
) -> None:
    client.force_login(make_user("command_b", Role.COMMAND, city.street_b.code))
    body = client.get(URL).content.decode()
    for key in ("a1_west", "a1_east", "a2"):
        assert two_streets[key].number not in body
        assert city.grids[key].code not in body
    assert two_streets["b1"].number in body


@pytest.mark.parametrize("who", ["department", "resident", "worker", "auditor", "outsider"])
@pytest.mark.django_db
def test_roles_without_a_screen_are_refused(client: Any, users: RoleUsers, who: str) -> None:
    client.force_login(getattr(users, who))
    assert client.get("/screen/").status_code == 403
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client: Any) -> None:
    assert client.get("/screen/")["Location"].startswith("/accounts/login/")
    assert client.get(URL)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["command", "secretary", "cadre", "sysadmin"])
@pytest.mark.django_db
def test_screen_roles_get_the_page_and_the_menu_entry(
    client: Any, users: RoleUsers, who: str
) -> None:
    client.force_login(getattr(users, who))
    body = client.get("/screen/").content.decode()
    assert "网格化管理指挥大屏" in body
    assert 'href="/screen/"' in body


@pytest.mark.django_db
def test_the_menu_hides_the_screen_from_a_grid_worker(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    assert 'href="/screen/"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_unknown_panel_is_a_clear_400(client: Any, users: RoleUsers) -> None:
    client.force_login(users.command)
    response = client.get(URL, {"panels": "trend,<script>"})
    assert response.status_code == 400
    assert "未知的面板" in response.json()["detail"]
