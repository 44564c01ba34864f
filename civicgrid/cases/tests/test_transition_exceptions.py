"""Extension (延期), defer (缓办), hold (挂账), supervise (督办) and reassign (转交)."""

from datetime import datetime

import pytest

from civicgrid.cases.choices import Action, CaseStatus, Stage
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.testing.cases import SHANGHAI, put_in_status
from civicgrid.testing.users import RoleUsers

DUE = datetime(2026, 11, 26, 17, 30, tzinfo=SHANGHAI)  # Thursday
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def handling(users: RoleUsers, case: Case) -> Case:
    return put_in_status(case, CaseStatus.HANDLING, department=users.dept, stage_due_at=DUE)


def test_approved_extension_moves_the_deadline(users: RoleUsers, handling: Case) -> None:
    case_transition(
        case=handling, action=Action.REQUEST_EXTENSION, actor=users.department,
        note="需采购配件", amount=2, unit="days", at=NOW,
    )  # fmt: skip
    assert handling.status == CaseStatus.EXTENSION_PENDING
    case_transition(case=handling, action=Action.APPROVE_EXTENSION, actor=users.command, at=NOW)
    assert handling.status == CaseStatus.HANDLING
    # Two working days after Thursday's end: Friday and Monday.
    assert handling.stage_due_at == datetime(2026, 11, 30, 17, 30, tzinfo=SHANGHAI)


def test_rejected_extension_keeps_the_deadline(users: RoleUsers, handling: Case) -> None:
    case_transition(
        case=handling, action=Action.REQUEST_EXTENSION, actor=users.department,
        note="需采购配件", amount=2, at=NOW,
    )  # fmt: skip
    case_transition(
        case=handling, action=Action.REJECT_EXTENSION, actor=users.command, note="可先临时处置"
    )
    assert handling.stage_due_at == DUE


def test_extension_needs_a_positive_amount(users: RoleUsers, handling: Case) -> None:
    with pytest.raises(TransitionError, match="大于 0"):
        case_transition(
            case=handling, action=Action.REQUEST_EXTENSION, actor=users.department,
            note="理由", amount=0,
        )  # fmt: skip


@pytest.mark.parametrize(("amount", "unit"), [(61, "days"), (9999, "days"), (481, "hours")])
def test_an_extension_is_at_most_sixty_working_days(
    users: RoleUsers, handling: Case, amount: int, unit: str
) -> None:
    with pytest.raises(TransitionError, match="延期最多"):
        case_transition(
            case=handling, action=Action.REQUEST_EXTENSION, actor=users.department,
            note="理由", amount=amount, unit=unit,
        )  # fmt: skip
    assert handling.status == CaseStatus.HANDLING
    case_transition(
        case=handling, action=Action.REQUEST_EXTENSION, actor=users.department,
        note="理由", amount=60, unit="days", at=NOW,
    )  # fmt: skip
    # Whoever approves may not raise it past the limit either.
    with pytest.raises(TransitionError, match="延期最多"):
        case_transition(
            case=handling, action=Action.APPROVE_EXTENSION, actor=users.command, amount=100
        )


def test_a_note_is_at_most_two_thousand_characters(users: RoleUsers, handling: Case) -> None:
    with pytest.raises(TransitionError, match="说明最多 2000 字"):
        case_transition(
            case=handling, action=Action.SUPERVISE, actor=users.command, note="催" * 2001
        )
    case_transition(case=handling, action=Action.SUPERVISE, actor=users.command, note="催" * 2000)
    assert handling.supervised


def test_deferred_case_has_no_clock_until_resumed(users: RoleUsers, handling: Case) -> None:
    case_transition(
        case=handling, action=Action.DEFER, actor=users.command, note="待雨季后施工", at=NOW
    )
    assert (handling.status, handling.stage, handling.stage_due_at) == (
        CaseStatus.DEFERRED, Stage.PAUSED, None,
    )  # fmt: skip
    case_transition(case=handling, action=Action.RESUME, actor=users.command, at=NOW)
    assert handling.status == CaseStatus.HANDLING
    assert handling.stage_due_at is not None
    assert handling.stage_due_at > NOW


def test_hold_remembers_where_it_was(users: RoleUsers, handling: Case) -> None:
    case_transition(case=handling, action=Action.HOLD, actor=users.command, note="涉及历史遗留产权")
    assert handling.status == CaseStatus.ON_HOLD
    assert handling.held_from == CaseStatus.HANDLING


def test_supervise_flags_with_a_new_limit(users: RoleUsers, handling: Case) -> None:
    case_transition(
        case=handling, action=Action.SUPERVISE, actor=users.secretary, note="居民多次反映",
        amount=4, unit="hours", at=NOW,
    )  # fmt: skip
    assert handling.status == CaseStatus.HANDLING
    assert handling.supervised
    assert handling.supervise_reason == "居民多次反映"
    assert handling.stage_due_at == datetime(2026, 11, 24, 15, 30, tzinfo=SHANGHAI)
    assert handling.events.get(action=Action.SUPERVISE).deadline == DUE


def test_cadre_may_not_supervise_the_community_work_they_handle(
    users: RoleUsers, case: Case
) -> None:
    put_in_status(case, CaseStatus.COMMUNITY)
    with pytest.raises(TransitionError):
        case_transition(case=case, action=Action.SUPERVISE, actor=users.cadre, note="督办")
    case.refresh_from_db()
    assert not case.supervised


def test_reassign_hands_the_case_to_a_colleague(users: RoleUsers, case: Case) -> None:
    put_in_status(case, CaseStatus.COMMUNITY)
    case_transition(case=case, action=Action.REASSIGN, actor=users.secretary, assignee=users.cadre)
    assert case.assignee == users.cadre


def test_reassign_to_someone_outside_the_area_is_refused(users: RoleUsers, case: Case) -> None:
    put_in_status(case, CaseStatus.COMMUNITY)
    with pytest.raises(TransitionError, match="不负责"):
        case_transition(
            case=case, action=Action.REASSIGN, actor=users.secretary, assignee=users.outsider
        )


def test_void_needs_a_reason(users: RoleUsers, case: Case) -> None:
    with pytest.raises(TransitionError, match="理由"):
        case_transition(case=case, action=Action.VOID, actor=users.secretary)
    case_transition(case=case, action=Action.VOID, actor=users.secretary, note="重复上报")
    assert case.status == CaseStatus.VOIDED
