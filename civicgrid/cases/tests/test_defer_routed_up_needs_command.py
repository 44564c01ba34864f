"""缓办/挂账 of a case the community routed up to the street is the street's decision: the
community secretary may defer only work the community keeps, and may not resume a case the
street held."""

import pytest

from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import TransitionError, allowed_actions, case_transition
from civicgrid.testing.cases import put_in_status
from civicgrid.testing.users import RoleUsers


@pytest.mark.parametrize("status", [CaseStatus.TO_DISPATCH, CaseStatus.HANDLING])
@pytest.mark.parametrize("action", [Action.DEFER, Action.HOLD])
def test_secretary_cannot_defer_or_hold_routed_up_work(
    users: RoleUsers, case: Case, status: str, action: Action
) -> None:
    case = put_in_status(case, status, department=users.dept)
    assert action not in allowed_actions(case, users.secretary)
    with pytest.raises(TransitionError, match="角色"):
        case_transition(case=case, action=action, actor=users.secretary, note="等待")
    after = case_transition(case=case, action=action, actor=users.command, note="等待")
    assert after.held_from == status


def test_secretary_still_defers_community_work(users: RoleUsers, case: Case) -> None:
    case = put_in_status(case, CaseStatus.COMMUNITY)
    after = case_transition(case=case, action=Action.DEFER, actor=users.secretary, note="雨天")
    assert after.status == CaseStatus.DEFERRED


def test_only_the_street_resumes_what_it_held(users: RoleUsers, case: Case) -> None:
    case = put_in_status(case, CaseStatus.HANDLING, department=users.dept)
    case = case_transition(case=case, action=Action.HOLD, actor=users.command, note="历史遗留")
    assert Action.RESUME not in allowed_actions(case, users.secretary)
    with pytest.raises(TransitionError, match="须由街道网格管理中心恢复办理"):
        case_transition(case=case, action=Action.RESUME, actor=users.secretary)
    assert case_transition(case=case, action=Action.RESUME, actor=users.command).status == (
        CaseStatus.HANDLING
    )
