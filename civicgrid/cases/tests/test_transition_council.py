from civicgrid.cases.choices import Action, CaseStatus, HandlingLevel
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import case_transition
from civicgrid.testing.cases import put_in_status
from civicgrid.testing.users import RoleUsers


def test_council_agenda_ends_in_feedback(users: RoleUsers, case: Case) -> None:
    put_in_status(case, CaseStatus.ACCEPTED)
    case_transition(
        case=case, action=Action.ROUTE, actor=users.secretary, level=HandlingLevel.COUNCIL
    )
    assert case.status == CaseStatus.COUNCIL
    case_transition(case=case, action=Action.FEEDBACK, actor=users.secretary, note="议事会决定")
    assert case.status == CaseStatus.TO_VERIFY


def test_council_can_pass_it_up_to_the_street(users: RoleUsers, case: Case) -> None:
    put_in_status(case, CaseStatus.COUNCIL)
    case_transition(
        case=case, action=Action.ROUTE, actor=users.secretary, level=HandlingLevel.STREET
    )
    assert case.status == CaseStatus.TO_DISPATCH


def test_rework_after_council_goes_back_to_the_council(users: RoleUsers, case: Case) -> None:
    put_in_status(case, CaseStatus.ACCEPTED)
    case_transition(
        case=case, action=Action.ROUTE, actor=users.secretary, level=HandlingLevel.COUNCIL
    )
    case_transition(case=case, action=Action.FEEDBACK, actor=users.secretary, note="已协商")
    case_transition(case=case, action=Action.REWORK, actor=users.worker, note="未落实")
    assert case.status == CaseStatus.COUNCIL
