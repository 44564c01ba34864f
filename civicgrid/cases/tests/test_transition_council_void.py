"""A 议事会 may void an agenda case it finds is nobody's to handle, always with its reason."""

import pytest

from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.testing.cases import put_in_status
from civicgrid.testing.users import RoleUsers


def test_council_voids_an_agenda_case_with_a_reason(users: RoleUsers, case: Case) -> None:
    put_in_status(case, CaseStatus.COUNCIL)
    before = CaseEvent.objects.filter(case=case).count()
    case_transition(case=case, action=Action.VOID, actor=users.secretary, note="属私人纠纷")
    assert case.status == CaseStatus.VOIDED
    assert CaseEvent.objects.filter(case=case).count() == before + 1


def test_council_void_needs_a_reason(users: RoleUsers, case: Case) -> None:
    put_in_status(case, CaseStatus.COUNCIL)
    with pytest.raises(TransitionError):
        case_transition(case=case, action=Action.VOID, actor=users.cadre)
    case.refresh_from_db()
    assert case.status == CaseStatus.COUNCIL
