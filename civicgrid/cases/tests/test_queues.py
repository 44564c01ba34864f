from typing import Any

import pytest

from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.selectors import case_queue, queue_counts, queues_for
from civicgrid.cases.workflow import case_transition
from civicgrid.testing.cases import MONDAY_10, put_in_status, report_case
from civicgrid.testing.users import RoleUsers


def test_each_role_gets_its_own_queues(users: RoleUsers) -> None:
    assert [q.key for q in queues_for(users.worker)] == ["to_verify", "overdue", "supervised"]
    assert "to_dispatch" in [q.key for q in queues_for(users.command)]
    assert "to_sign" in [q.key for q in queues_for(users.department)]
    assert queues_for(users.resident) == []


def test_counts_follow_status(users: RoleUsers) -> None:
    report_case(users.worker)
    put_in_status(report_case(users.worker), CaseStatus.ACCEPTED)
    counts = queue_counts(users.secretary, now=MONDAY_10)
    assert counts["to_accept"] == 1
    assert counts["to_route"] == 1
    assert counts["overdue"] == 0


def test_department_queue_holds_what_it_has_now(users: RoleUsers) -> None:
    case = put_in_status(report_case(users.worker), CaseStatus.TO_DISPATCH)
    case_transition(case=case, action=Action.DISPATCH, actor=users.command, department=users.dept)
    assert list(case_queue(users.department, "to_sign")) == [case]
    case_transition(case=case, action=Action.RETURN, actor=users.department, note="非本部门")
    assert list(case_queue(users.department, "to_sign")) == []


def test_unknown_queue_is_empty(users: RoleUsers) -> None:
    report_case(users.worker)
    assert not case_queue(users.secretary, "nothing").exists()


@pytest.mark.parametrize("rows", [1, 6])
def test_counts_take_one_query(users: RoleUsers, django_assert_num_queries: Any, rows: int) -> None:
    for _ in range(rows):
        report_case(users.worker)
    users.secretary.scope_codes  # noqa: B018  (loaded once per request in real use)
    with django_assert_num_queries(1):
        queue_counts(users.secretary, now=MONDAY_10)
