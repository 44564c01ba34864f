import json
from typing import Any

from django.test import Client

from civicgrid.cases.choices import Action, CaseStatus, HandlingLevel
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.testing.cases import put_in_status
from civicgrid.testing.users import RoleUsers


def post(client: Client, user: Any, path: str, body: dict[str, Any]) -> Any:
    client.force_login(user)
    return client.post(f"/api/v1/cases/{path}", json.dumps(body), content_type="application/json")


def test_secretary_accepts_through_the_api(client: Client, users: RoleUsers, case: Case) -> None:
    response = post(client, users.secretary, f"{case.pk}/accept", {"note": "已核实"})
    assert response.status_code == 200
    assert response.json()["status"] == CaseStatus.ACCEPTED
    assert CaseEvent.objects.get(case=case, action=Action.ACCEPT).note == "已核实"


def test_route_takes_the_level(client: Client, users: RoleUsers, case: Case) -> None:
    put_in_status(case, CaseStatus.ACCEPTED)
    response = post(client, users.secretary, f"{case.pk}/route", {"level": HandlingLevel.COUNCIL})
    assert response.json()["status"] == CaseStatus.COUNCIL


def test_dispatch_takes_a_department(client: Client, users: RoleUsers, case: Case) -> None:
    put_in_status(case, CaseStatus.TO_DISPATCH)
    response = post(client, users.command, f"{case.pk}/dispatch", {"department": users.dept.pk})
    assert response.status_code == 200
    assert response.json()["department"] == "城管局"


def test_disallowed_transition_is_409_with_the_chinese_reason(
    client: Client, users: RoleUsers, case: Case
) -> None:
    response = post(client, users.worker, f"{case.pk}/verify", {})
    assert response.status_code == 409
    assert "不能执行“核查通过”" in response.json()["detail"]


def test_a_role_the_action_never_admits_is_403(
    client: Client, users: RoleUsers, case: Case
) -> None:
    # The operation's declared policy names the roles of the workflow table for the action.
    response = post(client, users.worker, f"{case.pk}/accept", {})
    assert response.status_code == 403
    assert "角色" in response.json()["detail"]


def test_missing_reason_is_refused(client: Client, users: RoleUsers, case: Case) -> None:
    response = post(client, users.secretary, f"{case.pk}/void", {"note": ""})
    assert response.status_code == 422
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED


def test_read_only_user_gets_403(client: Client, users: RoleUsers, case: Case) -> None:
    response = post(client, users.auditor, f"{case.pk}/accept", {})
    assert response.status_code == 403


def test_outsider_gets_404_on_an_action(client: Client, users: RoleUsers, case: Case) -> None:
    # A grid worker elsewhere may verify cases, but not this one: it does not exist for them.
    response = post(client, users.outsider, f"{case.pk}/verify", {})
    assert response.status_code == 404


def test_merge_into_a_case_out_of_sight_is_404(
    client: Client, users: RoleUsers, case: Case
) -> None:
    from civicgrid.testing.cases import IN_B1, report_case

    elsewhere = report_case(users.outsider, point=IN_B1)
    response = post(client, users.secretary, f"{case.pk}/merge", {"into": elsewhere.pk})
    assert response.status_code == 404


def test_every_action_documents_its_own_input(client: Client, users: RoleUsers) -> None:
    client.force_login(users.command)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for action in Action:
        if action == Action.REPORT:
            continue
        operation = paths[f"/api/v1/cases/{{case_id}}/{action.value}"]["post"]
        assert operation["summary"]
        assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
