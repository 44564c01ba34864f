"""Stage deadlines in working time: 2026 holidays and make-up days from chinesecalendar,
2027 from days entered in the admin table."""

from datetime import date, datetime

from civicgrid.accounts.models import Department
from civicgrid.cases.choices import Action, CaseStatus, HandlingLevel, Stage
from civicgrid.cases.deadlines import rule_for
from civicgrid.cases.models import ResponsibilityRule
from civicgrid.cases.workflow import case_transition
from civicgrid.core.models import WorkCalendarDay
from civicgrid.testing.cases import SHANGHAI, case_category, put_in_status, report_case
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_accept_limit_before_spring_festival_runs_into_the_make_up_saturday(
    users: RoleUsers,
) -> None:
    # Friday 13 Feb 2026 17:00: half an hour left that day; Saturday 14 Feb is a make-up
    # workday, so the one working hour ends there at 09:30.
    case = report_case(users.worker, at=at(2026, 2, 13, 17, 0))
    assert case.stage_due_at == at(2026, 2, 14, 9, 30)


def test_accept_limit_before_national_day_skips_the_golden_week(users: RoleUsers) -> None:
    case = report_case(users.worker, at=at(2026, 9, 30, 17, 0))
    assert case.stage_due_at == at(2026, 10, 8, 9, 30)


def test_handle_limit_in_working_days_across_national_day(users: RoleUsers) -> None:
    case = report_case(users.worker, category=case_category("0103"), at=at(2026, 9, 29, 10, 0))
    put_in_status(case, CaseStatus.TO_DISPATCH)
    case = case_transition(
        case=case,
        action=Action.DISPATCH,
        actor=users.command,
        department=users.dept,
        at=at(2026, 9, 29, 10, 0),
    )
    assert case.stage == Stage.HANDLE
    # Three working days: 30 Sep, 8 Oct, 9 Oct; due at the end of the third.
    assert case.stage_due_at == at(2026, 10, 9, 17, 30)


def test_2027_uses_the_days_entered_by_the_administrator(users: RoleUsers) -> None:
    WorkCalendarDay.objects.create(date=date(2027, 2, 5), is_workday=False, note="春节")
    WorkCalendarDay.objects.create(date=date(2027, 2, 6), is_workday=True, note="调休上班")
    # Thursday 4 Feb 2027 17:00; Friday is a holiday, Saturday a make-up workday.
    case = report_case(users.worker, at=at(2027, 2, 4, 17, 0))
    assert case.stage_due_at == at(2027, 2, 6, 9, 30)


def test_2027_without_entered_days_falls_back_to_weekends(users: RoleUsers) -> None:
    case = report_case(users.worker, at=at(2027, 2, 5, 17, 0))
    assert case.stage_due_at == at(2027, 2, 8, 9, 30)


def test_each_stage_gets_its_own_deadline_and_the_event_keeps_the_old_one(
    users: RoleUsers,
) -> None:
    case = report_case(users.worker)
    accept_due = case.stage_due_at
    case = case_transition(
        case=case, action=Action.ACCEPT, actor=users.secretary, at=at(2026, 11, 23, 10, 30)
    )
    assert case.stage == Stage.DISPATCH
    assert case.stage_due_at == at(2026, 11, 23, 11, 30)
    event = case.events.get(action=Action.ACCEPT)
    assert (event.stage, event.deadline, event.on_time) == (Stage.ACCEPT, accept_due, True)
    assert event.next_deadline == case.stage_due_at


def test_late_stage_end_is_recorded_as_not_on_time(users: RoleUsers) -> None:
    case = report_case(users.worker)
    case_transition(
        case=case, action=Action.ACCEPT, actor=users.secretary, at=at(2026, 11, 23, 15, 0)
    )
    assert case.events.get(action=Action.ACCEPT).on_time is False


def test_region_rule_beats_the_general_rule(city: TestCity, users: RoleUsers) -> None:
    category = case_category("0102")
    local = ResponsibilityRule.objects.create(
        category=category.parent or category,
        region_prefix=city.comm_a1.code,
        level=HandlingLevel.DEPARTMENT,
        department=Department.objects.create(code="hw", name="环卫站", region_code="520102001"),
        accept_limit=2, dispatch_limit=1, handle_limit=1, verify_limit=1,
    )  # fmt: skip
    assert rule_for(category, city.grids["a1_west"].code) == local
    assert rule_for(category, city.grids["b1"].code) != local


def test_urgent_variant_applies_only_to_urgent_cases(city: TestCity) -> None:
    category = case_category("0401")
    code = city.grids["a1_west"].code
    assert rule_for(category, code, urgent=True).urgent  # type: ignore[union-attr]
    assert not rule_for(category, code).urgent  # type: ignore[union-attr]
