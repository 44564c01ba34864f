"""Finding a case by its number, on the list page and in the API: the whole number a
reporter reads out, or its beginning; a malformed one is said, not silently ignored."""

from datetime import datetime
from typing import Any

import pytest

from civicgrid.testing.cases import SHANGHAI, report_case
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _numbers(rows: list[dict[str, Any]]) -> set[str]:
    return {row["number"] for row in rows}


def test_the_whole_number_or_its_beginning(client: Any, users: RoleUsers) -> None:
    first = report_case(users.worker)
    second = report_case(users.worker)
    other_day = report_case(users.worker, at=datetime(2026, 10, 12, 10, tzinfo=SHANGHAI))
    client.force_login(users.command)

    page = client.get("/cases/list/", {"number": first.number}).content.decode()
    assert first.number in page and second.number not in page

    day = first.number.rsplit("-", 1)[0]
    found = client.get("/api/v1/cases/", {"number": day}).json()["items"]
    assert _numbers(found) == {first.number, second.number}
    assert other_day.number not in _numbers(found)


def test_a_number_outside_the_jurisdiction_finds_nothing(client: Any, users: RoleUsers) -> None:
    theirs = report_case(users.worker)
    client.force_login(users.outsider)
    assert client.get("/api/v1/cases/", {"number": theirs.number}).json()["items"] == []


def test_a_malformed_number_is_said(client: Any, users: RoleUsers) -> None:
    report_case(users.worker)
    client.force_login(users.command)
    page = client.get("/cases/list/", {"number": "abc"}).content.decode()
    assert "事件编号只含数字和 -" in page and "此条件未生效" in page
    assert client.get("/api/v1/cases/", {"number": "abc"}).status_code == 422
