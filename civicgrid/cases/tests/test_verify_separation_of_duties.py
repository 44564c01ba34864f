"""Separation of duties (workflow table ``not_after``): whoever signed for or fed back a case
does not verify (核查) it, neither passing nor failing it."""

import pytest

from civicgrid.cases.choices import Action, CaseStatus, HandlingLevel
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import TransitionError, allowed_actions, case_transition
from civicgrid.testing.users import RoleUsers


@pytest.fixture
def fed_back_by_cadre(users: RoleUsers, case: Case) -> Case:
    case = case_transition(case=case, action=Action.ACCEPT, actor=users.secretary)
    case = case_transition(
        case=case, action=Action.ROUTE, actor=users.secretary, level=HandlingLevel.COMMUNITY
    )
    return case_transition(case=case, action=Action.FEEDBACK, actor=users.cadre, note="已处理")


@pytest.mark.parametrize("action", [Action.VERIFY, Action.REWORK])
def test_the_cadre_who_fed_back_cannot_verify(
    users: RoleUsers, fed_back_by_cadre: Case, action: Action
) -> None:
    assert action not in allowed_actions(fed_back_by_cadre, users.cadre)
    with pytest.raises(TransitionError, match="办理过该事件的人员不能核查"):
        case_transition(case=fed_back_by_cadre, action=action, actor=users.cadre, note="复核")
    fed_back_by_cadre.refresh_from_db()
    assert fed_back_by_cadre.status == CaseStatus.TO_VERIFY


def test_someone_else_verifies(users: RoleUsers, fed_back_by_cadre: Case) -> None:
    assert Action.VERIFY in allowed_actions(fed_back_by_cadre, users.worker)
    closed = case_transition(case=fed_back_by_cadre, action=Action.VERIFY, actor=users.worker)
    assert closed.status == CaseStatus.CLOSED
