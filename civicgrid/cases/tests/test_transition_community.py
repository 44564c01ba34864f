"""The community route: accept → route to the community → feedback → verify → close →
evaluate."""

from datetime import timedelta
from typing import Any

from civicgrid.cases.choices import Action, CaseStatus, HandlingLevel, Satisfaction, Stage
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import allowed_actions, case_transition
from civicgrid.testing.cases import MONDAY_10
from civicgrid.testing.users import RoleUsers


def step(case: Case, action: str, actor: object, minutes: int, **data: Any) -> Case:
    return case_transition(
        case=case, action=action, actor=actor, at=MONDAY_10 + timedelta(minutes=minutes), **data
    )


def test_community_handles_and_the_grid_worker_closes(users: RoleUsers, case: Case) -> None:
    step(case, Action.ACCEPT, users.secretary, 10)
    step(case, Action.ROUTE, users.secretary, 20, level=HandlingLevel.COMMUNITY)
    assert case.status == CaseStatus.COMMUNITY
    assert case.stage == Stage.HANDLE
    step(case, Action.FEEDBACK, users.cadre, 60, note="已联系环卫清运")
    assert case.status == CaseStatus.TO_VERIFY
    step(case, Action.VERIFY, users.worker, 90)
    assert case.status == CaseStatus.CLOSED
    assert case.closed_at == MONDAY_10 + timedelta(minutes=90)
    assert case.stage_due_at is None
    assert list(case.events.values_list("action", flat=True)) == [
        Action.REPORT, Action.ACCEPT, Action.ROUTE, Action.FEEDBACK, Action.VERIFY,
    ]  # fmt: skip


def test_route_without_a_level_follows_the_responsibility_list(
    users: RoleUsers, case: Case
) -> None:
    # 暴露垃圾 is listed for the street (its 大类 市容环境).
    step(case, Action.ACCEPT, users.secretary, 10)
    step(case, Action.ROUTE, users.secretary, 20)
    assert case.status == CaseStatus.TO_DISPATCH


def test_resident_evaluates_once(users: RoleUsers, case: Case) -> None:
    case.status = CaseStatus.CLOSED
    case.stage = Stage.DONE
    case.save()
    assert allowed_actions(case, users.resident) == [Action.EVALUATE]
    step(case, Action.EVALUATE, users.resident, 10, satisfaction=Satisfaction.SATISFIED)
    assert case.satisfaction == Satisfaction.SATISFIED
    assert allowed_actions(case, users.resident) == []


def test_unsatisfied_resident_may_reopen(users: RoleUsers, case: Case) -> None:
    case.status = CaseStatus.CLOSED
    case.stage = Stage.DONE
    case.save()
    step(case, Action.EVALUATE, users.resident, 10, satisfaction=Satisfaction.UNSATISFIED)
    assert Action.REOPEN in allowed_actions(case, users.resident)
    step(case, Action.REOPEN, users.resident, 20, note="垃圾又堆起来了")
    assert case.status == CaseStatus.ACCEPTED
    assert case.reopen_count == 1
    assert case.satisfaction == ""
