"""The candidates page lists cases departments keep passing back: returned twice shows;
returned once does not, unless another reason holds (two departments, or waiting past the
dispatch time limit after the return)."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.participation.joint.selectors import candidates_for
from civicgrid.participation.joint.testing import bounce
from civicgrid.testing.cases import report_case


def _ids(user: Any, **kwargs: Any) -> set[int]:
    return set(candidates_for(user, **kwargs).values_list("pk", flat=True))


@pytest.mark.django_db
def test_returned_twice_is_a_candidate(users: Any, waiting_case: Any) -> None:
    dept = (users.dept, users.department)
    case = bounce(waiting_case, command=users.command, passes=[dept, dept])
    found: Any = candidates_for(users.command).get(pk=case.pk)
    assert found.return_count == 2
    assert found.department_count == 1


@pytest.mark.django_db
def test_returned_once_and_dispatched_again_is_not(users: Any, waiting_case: Any) -> None:
    from civicgrid.cases.choices import Action
    from civicgrid.cases.workflow import case_transition

    case = bounce(waiting_case, command=users.command, passes=[(users.dept, users.department)])
    case = case_transition(
        case=case, action=Action.DISPATCH, actor=users.command, department=users.dept
    )
    assert case.pk not in _ids(users.command)


@pytest.mark.django_db
def test_returned_once_waiting_in_time_is_not(users: Any, waiting_case: Any) -> None:
    case = bounce(waiting_case, command=users.command, passes=[(users.dept, users.department)])
    assert case.stage_due_at is not None
    assert case.pk not in _ids(users.command, now=case.stage_due_at - timedelta(minutes=1))


@pytest.mark.django_db
def test_returned_once_waiting_past_the_dispatch_limit_is(users: Any, waiting_case: Any) -> None:
    case = bounce(waiting_case, command=users.command, passes=[(users.dept, users.department)])
    assert case.stage_due_at is not None
    assert case.pk in _ids(users.command, now=case.stage_due_at + timedelta(minutes=1))


@pytest.mark.django_db
def test_owned_by_two_departments_is_a_candidate(users: Any, waiting_case: Any, zjj: Any) -> None:
    from civicgrid.cases.choices import Action
    from civicgrid.cases.workflow import case_transition

    case = bounce(waiting_case, command=users.command, passes=[(users.dept, users.department)])
    case = case_transition(
        case=case, action=Action.DISPATCH, actor=users.command, department=zjj[0]
    )
    # Returned once, now with a second department: a candidate for two departments.
    assert case.pk in _ids(users.command, now=timezone.now())


@pytest.mark.django_db
def test_a_case_never_returned_is_not(users: Any, waiting_case: Any) -> None:
    other = report_case(users.worker)
    assert _ids(users.command) & {waiting_case.pk, other.pk} == set()


@pytest.mark.django_db
def test_other_street_command_does_not_see_them(users: Any, waiting_case: Any, city: Any) -> None:
    from civicgrid.accounts.choices import Role
    from civicgrid.testing.users import make_user

    dept = (users.dept, users.department)
    bounce(waiting_case, command=users.command, passes=[dept, dept])
    command_b = make_user("command_b", Role.COMMAND, city.street_b.code)
    assert _ids(command_b) == set()


@pytest.mark.django_db
def test_candidates_page_shows_history(
    client: Any, users: Any, waiting_case: Any, zjj: Any
) -> None:
    case = bounce(
        waiting_case,
        command=users.command,
        passes=[(users.dept, users.department), zjj],
        reason="该路段归住建局管理",
    )
    client.force_login(users.command)
    page = client.get("/joint-meetings/candidates/").content.decode()
    assert case.number in page
    assert "城管局、住建局" in page
    assert "该路段归住建局管理" in page
