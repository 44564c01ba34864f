"""Writes check the scope of every object they touch: merging into a case of another street
is refused as if that case did not exist."""

import pytest

from civicgrid.cases.choices import CaseStatus
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.testing.cases import IN_B1, report_case
from civicgrid.testing.users import RoleUsers


def test_merge_into_a_case_out_of_scope_is_refused(users: RoleUsers, case: Case) -> None:
    elsewhere = report_case(users.outsider, point=IN_B1)
    with pytest.raises(TransitionError, match="请选择要合并到的主事件"):
        case_transition(case=case, action="merge", actor=users.secretary, into=elsewhere)
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED and case.merged_into_id is None
