import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department
from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.cases.models import Case
from civicgrid.cases.selectors import access_case
from civicgrid.cases.workflow import case_transition
from civicgrid.testing.cases import IN_B1, OUTSIDE, put_in_status, report_case
from civicgrid.testing.users import RoleUsers, make_user


def dispatch_to(case: Case, users: RoleUsers, dept: Department) -> Case:
    put_in_status(case, CaseStatus.TO_DISPATCH)
    return case_transition(case=case, action=Action.DISPATCH, actor=users.command, department=dept)


def test_staff_see_cases_inside_their_codes(users: RoleUsers) -> None:
    mine = report_case(users.worker)
    report_case(users.outsider, point=IN_B1)
    assert list(Case.objects.visible_to(users.secretary)) == [mine]
    assert list(Case.objects.visible_to(users.command)) == [mine]


def test_outsider_sees_nothing_in_another_street(users: RoleUsers, case: Case) -> None:
    assert not Case.objects.visible_to(users.outsider).exists()
    with pytest.raises(Http404):
        access_case(users.outsider, case.pk)


def test_department_handler_sees_only_cases_dispatched_to_their_department(
    users: RoleUsers,
) -> None:
    other = Department.objects.create(code="slj", name="水利局", region_code="520102")
    ours = dispatch_to(report_case(users.worker), users, users.dept)
    dispatch_to(report_case(users.worker), users, other)
    report_case(users.worker)
    assert list(Case.objects.visible_to(users.department)) == [ours]


def test_department_still_sees_a_case_it_returned_but_cannot_act(users: RoleUsers) -> None:
    case = dispatch_to(report_case(users.worker), users, users.dept)
    case_transition(case=case, action=Action.RETURN, actor=users.department, note="非本部门职责")
    case_transition(
        case=case,
        action=Action.DISPATCH,
        actor=users.command,
        department=Department.objects.create(code="slj", name="水利局", region_code="520102"),
    )
    assert access_case(users.department, case.pk) == case
    with pytest.raises(PermissionDenied):
        access_case(users.department, case.pk, for_write=True)


def test_handler_without_department_sees_nothing(users: RoleUsers, case: Case) -> None:
    loose = make_user("loose", Role.DEPARTMENT)
    assert not Case.objects.visible_to(loose).exists()


def test_resident_sees_only_own_requests(users: RoleUsers) -> None:
    own = report_case(users.resident, channel=Channel.RESIDENT)
    report_case(users.worker)
    assert list(Case.objects.visible_to(users.resident)) == [own]


def test_auditor_reads_no_cases(users: RoleUsers, case: Case) -> None:
    # 三权分立: the audit administrator reads the audit trail, not cases (accounts.choices.READS).
    assert not Case.objects.visible_to(users.auditor).exists()
    with pytest.raises(Http404):
        access_case(users.auditor, case.pk)


def test_command_centre_sees_a_case_outside_every_grid(users: RoleUsers) -> None:
    stray = report_case(users.command, point=OUTSIDE, channel=Channel.HOTLINE)
    assert access_case(users.command, stray.pk) == stray
    assert not Case.objects.visible_to(users.secretary).filter(pk=stray.pk).exists()


def test_department_named_by_the_rule_sees_nothing_before_dispatch(users: RoleUsers) -> None:
    from civicgrid.cases.models import ResponsibilityRule
    from civicgrid.testing.cases import case_category

    ResponsibilityRule.objects.filter(category=case_category().parent).update(
        level="department", department=users.dept
    )
    case = report_case(users.worker)
    assert case.department is None
    assert not Case.objects.visible_to(users.department).exists()


def test_returned_case_is_read_only_for_the_department(users: RoleUsers) -> None:
    case = dispatch_to(report_case(users.worker), users, users.dept)
    case_transition(case=case, action=Action.RETURN, actor=users.department, note="非本部门职责")
    with pytest.raises(PermissionDenied):
        access_case(users.department, case.pk, for_write=True)
