import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import case_transition
from civicgrid.testing.cases import IN_A1_WEST, MONDAY_10, put_in_status, report_case
from civicgrid.testing.users import RoleUsers

HOUR = timedelta(hours=1)


def test_create_reports_a_case(client: Client, users: RoleUsers) -> None:
    client.force_login(users.worker)
    body = {
        "channel": Channel.GRID_WORKER,
        "category": "0102",
        "description": "垃圾桶满溢",
        "lat": IN_A1_WEST[0],
        "lng": IN_A1_WEST[1],
        "reporter_phone": "13800005678",
    }
    response = client.post("/api/v1/cases/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == CaseStatus.REPORTED
    assert data["reporter_phone"] == "138****5678"
    assert data["timeline"][0]["action"] == Action.REPORT


def test_create_with_bad_input_answers_in_chinese(client: Client, users: RoleUsers) -> None:
    client.force_login(users.worker)
    body = {"channel": "gridworker", "category": "01", "description": " "}
    response = client.post("/api/v1/cases/", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert "请选择小类" in response.json()["detail"]
    assert not Case.objects.exists()


def test_detail_shows_the_timeline_and_allowed_actions(
    client: Client, users: RoleUsers, case: Case
) -> None:
    case_transition(
        case=case, action=Action.ACCEPT, actor=users.secretary, note="属实", at=MONDAY_10 + HOUR
    )
    client.force_login(users.secretary)
    data = client.get(f"/api/v1/cases/{case.pk}").json()
    assert [e["action"] for e in data["timeline"]] == [Action.REPORT, Action.ACCEPT]
    assert data["timeline"][1]["note"] == "属实"
    assert "route" in data["allowed_actions"]
    assert "accept" not in data["allowed_actions"]


def test_outsider_gets_404_on_detail(client: Client, users: RoleUsers, case: Case) -> None:
    client.force_login(users.outsider)
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404


def test_outsider_gets_404_on_duplicates(client: Client, users: RoleUsers, case: Case) -> None:
    client.force_login(users.outsider)
    assert client.get(f"/api/v1/cases/{case.pk}/duplicates").status_code == 404


def test_duplicates_lists_nearby_open_cases(client: Client, users: RoleUsers, case: Case) -> None:
    other = report_case(users.worker, point=(IN_A1_WEST[0] + 0.0003, IN_A1_WEST[1]))
    client.force_login(users.secretary)
    found = client.get(f"/api/v1/cases/{case.pk}/duplicates").json()
    assert [d["id"] for d in found] == [other.pk]


def test_categories_lists_the_tree(client: Client, users: RoleUsers) -> None:
    client.force_login(users.worker)
    tree = client.get("/api/v1/cases/categories").json()
    city = next(c for c in tree if c["code"] == "01")
    assert city["name"] == "市容环境"
    assert "0102" in [child["code"] for child in city["children"]]


def test_list_filters_by_status(client: Client, users: RoleUsers) -> None:
    accepted = put_in_status(report_case(users.worker), CaseStatus.ACCEPTED)
    report_case(users.worker)
    client.force_login(users.command)
    data = client.get("/api/v1/cases/", {"status": CaseStatus.ACCEPTED}).json()
    assert [row["id"] for row in data["items"]] == [accepted.pk]
    assert data["count"] == 1


def test_list_filters_overdue(client: Client, users: RoleUsers) -> None:
    report_case(users.worker)  # reported in 2026-11-23 10:00, overdue at any later "now"
    client.force_login(users.command)
    with time_machine.travel(MONDAY_10):
        assert client.get("/api/v1/cases/", {"overdue": True}).json()["count"] == 0
    with time_machine.travel(MONDAY_10.replace(hour=15)):
        assert client.get("/api/v1/cases/", {"overdue": True}).json()["count"] == 1


def test_outsider_lists_nothing(client: Client, users: RoleUsers, case: Case) -> None:
    client.force_login(users.outsider)
    assert client.get("/api/v1/cases/").json()["count"] == 0


@pytest.mark.parametrize("rows", [1, 8])
def test_list_query_count_does_not_grow_with_rows(
    client: Client, users: RoleUsers, django_assert_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        case = report_case(users.worker)
        put_in_status(case, CaseStatus.TO_DISPATCH)
        case_transition(
            case=case, action=Action.DISPATCH, actor=users.command, department=users.dept
        )
    client.force_login(users.command)
    client.get("/api/v1/cases/")  # warm the per-process calendar cache
    # session read, user, scopes, count, page (the session is written at most once a minute)
    with django_assert_num_queries(5):
        assert len(client.get("/api/v1/cases/").json()["items"]) == rows


def test_list_filters_by_major_category_channel_and_dates(client: Client, users: RoleUsers) -> None:
    from civicgrid.testing.cases import case_category

    rubbish = report_case(users.worker)
    report_case(users.worker, category=case_category("0601"))
    report_case(users.worker, at=MONDAY_10 + timedelta(days=3))
    client.force_login(users.command)
    found = client.get(
        "/api/v1/cases/",
        {
            "category": "01",
            "channel": Channel.GRID_WORKER,
            "date_from": "2026-11-23",
            "date_to": "2026-11-23",
        },
    ).json()
    assert [row["id"] for row in found["items"]] == [rubbish.pk]
